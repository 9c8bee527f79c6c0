import {
  childTraceparent,
  currentTraceparent,
  newTraceparent,
  parseTraceparent,
  runWithTraceparent,
} from './trace-context';

describe('trace context', () => {
  const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('parses valid traceparents and rejects malformed or all-zero ones', () => {
    expect(parseTraceparent(parent)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: '01',
    });
    for (const bad of [
      undefined,
      '',
      'nonsense',
      `01-${parent.slice(3)}`,
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it('continues a trace with the same trace id and a new span id', () => {
    const child = childTraceparent(parent);
    expect(parseTraceparent(child)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parseTraceparent(child)?.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('hands on the context the work runs in, and a fresh valid trace outside any', () => {
    expect(runWithTraceparent(parent, () => currentTraceparent())).toBe(parent);
    const outside = currentTraceparent();
    expect(parseTraceparent(outside)).toBeDefined();
    expect(outside).not.toBe(parent);
    expect(parseTraceparent(newTraceparent())).toBeDefined();
  });
});
