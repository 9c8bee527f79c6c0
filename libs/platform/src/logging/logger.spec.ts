import { Writable } from 'node:stream';
import { runWithTraceparent } from '../tracing/trace-context';
import { createLogger } from './logger';
import { correlationId } from './correlation-id';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe(createLogger.name, () => {
  it('names the trace of the request or event being handled, and no trace outside one', () => {
    const out = capture();
    const logger = createLogger({ service: 'sessions', level: 'info', destination: out.stream });
    logger.info('starting');
    runWithTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', () =>
      logger.child({ context: 'EventConsumer' }).info('handled'),
    );
    const [outside, inside] = out.lines();
    expect(outside).not.toHaveProperty('traceId');
    expect(inside).toMatchObject({ msg: 'handled', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });

  it('writes JSON lines with the service, level label and ISO time, honouring LOG_LEVEL', () => {
    const out = capture();
    const logger = createLogger({ service: 'intake', level: 'warn', destination: out.stream });
    logger.info('not shown');
    logger.warn('shown');
    expect(out.lines()).toEqual([
      expect.objectContaining({
        service: 'intake',
        level: 'warn',
        msg: 'shown',
        time: expect.stringMatching(/Z$/),
      }),
    ]);
  });

  it('masks client data in merge objects, child bindings, messages and errors', () => {
    const out = capture();
    const logger = createLogger({ service: 'intake', level: 'info', destination: out.stream });
    logger
      .child({ client: { lastName: 'Quux' } })
      .info(
        { record: { firstName: 'Zelda', email: 'zelda@example.org' }, siteId: 's-1' },
        'Wrote to zelda@example.org, 555-123-4567',
      );
    logger.error(
      { err: Object.assign(new Error('duplicate "Zelda"'), { code: '23505', detail: 'Key (name)=(Zelda)' }) },
      'failed',
    );
    const text = JSON.stringify(out.lines());
    expect(text).not.toMatch(/Zelda|Quux|zelda@example|555-123/);
    expect(out.lines()[0]).toMatchObject({
      client: { lastName: '[REDACTED]' },
      record: { firstName: '[REDACTED]', email: '[REDACTED]' },
      siteId: 's-1',
      msg: 'Wrote to [email], [phone]',
    });
    expect(out.lines()[1]).toMatchObject({ err: { message: 'database error 23505', code: '23505' } });
  });
});

describe(correlationId.name, () => {
  it('keeps a well-formed X-Request-Id', () => {
    expect(correlationId({ 'x-request-id': 'abc-123' })).toBe('abc-123');
  });

  it('falls back to the trace id of a valid traceparent, then to a new UUID', () => {
    expect(correlationId({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(correlationId({ 'x-request-id': 'Ada Lovelace <zelda@example.org>' })).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationId({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' })).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });
});
