import { connect, createServer } from 'node:net';
import { RetryLaterError, describeError, isConnectionLost, isTransientError } from './transient-error';

/** A real refused connection: Node's core creates the error, as it does when the database is down. */
async function refusedConnectionError(): Promise<unknown> {
  const server = createServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return new Promise((resolve) => connect(port, '127.0.0.1').on('error', resolve));
}

describe('transient error classification', () => {
  // Under Jest this error comes from another realm than the test's `Error`; the consumer once rethrew it as
  // a record failure and retried its batch in silence instead of waiting out the outage.
  it('treats a refused connection raised by Node itself as a lost connection', async () => {
    const error = await refusedConnectionError();
    expect(isConnectionLost(error)).toBe(true);
    expect(isTransientError(error)).toBe(true);
    expect(describeError(error)).toMatch(/^Error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  it.each([
    [
      'a Postgres connection exception',
      Object.assign(new Error('terminating connection'), { code: '08006' }),
    ],
    ['a deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['a serialization failure', Object.assign(new Error('could not serialize'), { code: '40001' })],
    ['a dropped session', new Error('Connection terminated unexpectedly')],
    ['a handler waiting for a fact from another topic', new RetryLaterError('site 1 not known yet')],
  ])('treats %s as transient', (_what, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['a handler bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a constraint violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a kafkajs protocol error with a numeric code', Object.assign(new Error('not leader'), { code: 6 })],
    ['something that is not an error', 'ECONNREFUSED'],
  ])('treats %s as the record’s own failure', (_what, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});
