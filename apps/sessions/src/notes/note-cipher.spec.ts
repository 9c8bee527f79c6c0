import { randomBytes, randomUUID } from 'node:crypto';
import { type SessionsConfig } from '../config/sessions.config';
import { NoteCipher, keyRingFrom } from './note-cipher';

const key = (): string => randomBytes(32).toString('base64');
const cipherWith = (config: Partial<SessionsConfig>): NoteCipher =>
  new NoteCipher({ NOTES_KEK: key(), NOTES_KEK_ID: 'kek-1', ...config } as SessionsConfig);

describe(NoteCipher.name, () => {
  const noteId = randomUUID();
  const text = { subjective: 'Client reports cravings after the weekend', plan: 'Relapse prevention plan' };

  it('seals text that reveals nothing of the plaintext and opens it again', () => {
    const cipher = cipherWith({});
    const dataKey = cipher.newDataKey(noteId);
    const sealed = cipher.seal(dataKey, text, `${noteId}|entry`);
    expect(sealed.toString('utf8')).not.toContain('cravings');
    expect(sealed.toString('hex')).not.toContain(Buffer.from('cravings').toString('hex'));
    expect(dataKey.wrapped.includes(dataKey.key)).toBe(false);
    const reopened = cipher.unwrap(noteId, dataKey.kekId, dataKey.wrapped);
    expect(cipher.open(reopened, sealed, `${noteId}|entry`)).toEqual(text);
  });

  it('refuses tampered ciphertext and ciphertext moved to another note or section', () => {
    const cipher = cipherWith({});
    const dataKey = cipher.newDataKey(noteId);
    const sealed = cipher.seal(dataKey, text, `${noteId}|entry|a`);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    expect(() => cipher.open(dataKey, tampered, `${noteId}|entry|a`)).toThrow();
    expect(() => cipher.open(dataKey, sealed, `${noteId}|entry|b`)).toThrow();
    expect(() => cipher.unwrap(randomUUID(), dataKey.kekId, dataKey.wrapped)).toThrow();
  });

  it('reads notes wrapped by a retired key after rotation, and not without it', () => {
    const oldKey = key();
    const before = cipherWith({ NOTES_KEK: oldKey, NOTES_KEK_ID: 'kek-1' });
    const dataKey = before.newDataKey(noteId);
    const sealed = before.seal(dataKey, text, noteId);
    const rotated = cipherWith({ NOTES_KEK_ID: 'kek-2', NOTES_RETIRED_KEKS: `kek-1:${oldKey}` });
    expect(rotated.newDataKey(noteId).kekId).toBe('kek-2');
    expect(rotated.open(rotated.unwrap(noteId, 'kek-1', dataKey.wrapped), sealed, noteId)).toEqual(text);
    expect(() => cipherWith({ NOTES_KEK_ID: 'kek-2' }).unwrap(noteId, 'kek-1', dataKey.wrapped)).toThrow(
      'Notes key kek-1 is not configured',
    );
  });

  it('refuses a key of the wrong length', () => {
    expect(() =>
      keyRingFrom({
        NOTES_KEK: randomBytes(16).toString('base64'),
        NOTES_KEK_ID: 'k',
        NOTES_RETIRED_KEKS: undefined,
      }),
    ).toThrow('must be 32 bytes');
  });
});
