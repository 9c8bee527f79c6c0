import { checkJsonShape } from './json-shape';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

describe(checkJsonShape.name, () => {
  it('accepts ordinary bodies', () => {
    expect(checkJsonShape({ name: 'x', items: [1, 2, { a: [true, null] }] })).toBeUndefined();
    expect(checkJsonShape(nested(31))).toBeUndefined();
  });

  it('refuses nesting beyond the limit, iteratively (no stack overflow on hostile input)', () => {
    expect(checkJsonShape(nested(33))?.code).toBe('body-too-deep');
    expect(checkJsonShape(JSON.parse('['.repeat(50_000) + ']'.repeat(50_000)))?.code).toBe('body-too-deep');
  });

  it('refuses arrays longer than the limit', () => {
    expect(checkJsonShape({ ids: new Array(1_000).fill('x') })).toBeUndefined();
    expect(checkJsonShape({ ids: new Array(1_001).fill('x') })).toEqual({
      code: 'array-too-long',
      detail: 'ids has more than 1000 items',
    });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s at any depth', (key) => {
    expect(checkJsonShape(JSON.parse(`{"a":{"b":[{"${key}":{}}]}}`))?.code).toBe('forbidden-key');
  });

  it('refuses NUL characters in values and keys', () => {
    expect(checkJsonShape({ note: 'a\u0000b' })).toEqual({
      code: 'invalid-character',
      detail: 'note contains a NUL character',
    });
    expect(checkJsonShape(JSON.parse('{"a\\u0000":1}'))?.code).toBe('invalid-character');
  });
});
