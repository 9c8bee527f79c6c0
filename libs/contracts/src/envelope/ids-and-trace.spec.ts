import { isValidTraceparent } from './traceparent';
import { uuidv7 } from './uuid-v7';

describe(uuidv7.name, () => {
  it('encodes the millisecond timestamp, version 7 and the RFC 9562 variant', () => {
    const id = uuidv7(0x0189_0a5d_ac96, Buffer.from('ffffffffffffffffffff', 'hex'));
    expect(id).toBe('01890a5d-ac96-7fff-bfff-ffffffffffff');
    const zeros = uuidv7(1, Buffer.alloc(10));
    expect(zeros).toBe('00000000-0001-7000-8000-000000000000');
  });

  it('sorts by creation time across milliseconds', () => {
    const ids = [3, 1, 2].map((ms) => uuidv7(1_700_000_000_000 + ms));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('is random within a millisecond', () => {
    const now = Date.now();
    expect(new Set(Array.from({ length: 1000 }, () => uuidv7(now))).size).toBe(1000);
  });

  it('never hands two ids the same random bytes, across refills of its random pool', () => {
    // 5,000 ids draw 50,000 bytes: the 4 KiB pool is refilled a dozen times on the way.
    const random = Array.from({ length: 5000 }, () => uuidv7(1).slice(14));
    expect(new Set(random).size).toBe(5000);
  });

  it('rejects timestamps outside 48 bits', () => {
    expect(() => uuidv7(-1)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
    expect(() => uuidv7(1, Buffer.alloc(4))).toThrow(RangeError);
  });
});

describe(isValidTraceparent.name, () => {
  it.each([
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', true],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', true],
    ['01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future', true],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', false],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01', false],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', false],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', false],
    ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', false],
    ['00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', false],
    ['', false],
  ])('%s -> %s', (value, valid) => {
    expect(isValidTraceparent(value)).toBe(valid);
  });
});
