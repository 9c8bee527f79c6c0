import { randomBytes, randomUUID } from 'node:crypto';
import { EnvelopeCipher, type KekSettings, keyRingFrom } from './envelope';

const key = (): string => randomBytes(32).toString('base64');
const cipherWith = (settings: Partial<KekSettings>): EnvelopeCipher =>
  new EnvelopeCipher(
    { kek: key(), kekId: 'kek-1', retired: undefined, ...settings },
    'note',
    'NOTES_RETIRED_KEKS',
  );

describe(EnvelopeCipher.name, () => {
  const recordId = randomUUID();
  const text = { subjective: 'Client reports cravings after the weekend', plan: 'Relapse prevention plan' };

  it('seals text that reveals nothing of the plaintext and opens it again', () => {
    const cipher = cipherWith({});
    const dataKey = cipher.newDataKey(recordId);
    const sealed = cipher.seal(dataKey, text, `${recordId}|entry`);
    expect(sealed.toString('utf8')).not.toContain('cravings');
    expect(sealed.toString('hex')).not.toContain(Buffer.from('cravings').toString('hex'));
    expect(dataKey.wrapped.includes(dataKey.key)).toBe(false);
    const reopened = cipher.unwrap(recordId, dataKey.kekId, dataKey.wrapped);
    expect(cipher.open(reopened, sealed, `${recordId}|entry`)).toEqual(text);
  });

  it('refuses tampered ciphertext, ciphertext moved to another record or field, and another purpose', () => {
    const cipher = cipherWith({});
    const dataKey = cipher.newDataKey(recordId);
    const sealed = cipher.seal(dataKey, text, `${recordId}|entry|a`);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    expect(() => cipher.open(dataKey, tampered, `${recordId}|entry|a`)).toThrow();
    expect(() => cipher.open(dataKey, sealed, `${recordId}|entry|b`)).toThrow();
    expect(() => cipher.unwrap(randomUUID(), dataKey.kekId, dataKey.wrapped)).toThrow();
  });

  it('reads records wrapped by a retired key after rotation, and not without it', () => {
    const oldKey = key();
    const before = cipherWith({ kek: oldKey, kekId: 'kek-1' });
    const dataKey = before.newDataKey(recordId);
    const sealed = before.seal(dataKey, text, recordId);
    const rotated = cipherWith({ kekId: 'kek-2', retired: `kek-1:${oldKey}` });
    expect(rotated.newDataKey(recordId).kekId).toBe('kek-2');
    expect(rotated.open(rotated.unwrap(recordId, 'kek-1', dataKey.wrapped), sealed, recordId)).toEqual(text);
    expect(() => cipherWith({ kekId: 'kek-2' }).unwrap(recordId, 'kek-1', dataKey.wrapped)).toThrow(
      'The note key kek-1 is not configured; add it to NOTES_RETIRED_KEKS',
    );
  });

  it('refuses a key of the wrong length', () => {
    expect(() =>
      keyRingFrom({ kek: randomBytes(16).toString('base64'), kekId: 'k', retired: undefined }),
    ).toThrow('must be 32 bytes');
  });
});
