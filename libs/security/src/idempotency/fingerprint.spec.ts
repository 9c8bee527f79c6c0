import { canonicalJson, requestFingerprint } from './fingerprint';

describe('request fingerprint', () => {
  it('ignores key order at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(requestFingerprint('post', '/v1/x', { a: 1, b: 2 })).toBe(
      requestFingerprint('POST', '/v1/x', { b: 2, a: 1 }),
    );
  });

  it('differs when the body, the path or the method differs', () => {
    const base = requestFingerprint('POST', '/v1/x', { a: 1 });
    expect(requestFingerprint('POST', '/v1/x', { a: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/y', { a: 1 })).not.toBe(base);
    expect(requestFingerprint('PUT', '/v1/x', { a: 1 })).not.toBe(base);
  });
});
