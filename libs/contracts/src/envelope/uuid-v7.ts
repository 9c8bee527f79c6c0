import { randomFillSync } from 'node:crypto';

/**
 * Random bytes are drawn from the CSPRNG in blocks, not ten at a time: a synchronous `randomBytes(10)` per id
 * cost more than encoding the rest of an event (the horizon job mints one id per appointment, ~500,000 in a
 * run). Each id still gets bytes no other id gets; Node's own `randomUUID` buffers the same way.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function pooledRandom(size: number): Buffer {
  if (poolOffset + size > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return slice;
}

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by creation time, which
 * keeps database indexes compact and makes logs readable. Ordering within one millisecond is not guaranteed.
 */
export function uuidv7(nowMs: number = Date.now(), random: Buffer = pooledRandom(10)): string {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0 || nowMs >= 2 ** 48) {
    throw new RangeError(`UUIDv7 timestamp out of range: ${nowMs}`);
  }
  if (random.length < 10) throw new RangeError('UUIDv7 needs 10 random bytes');
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  random.copy(bytes, 6, 0, 10);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70; // version 7
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
