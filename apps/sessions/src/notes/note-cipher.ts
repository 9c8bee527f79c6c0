import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SessionsConfig } from '../config/sessions.config';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** The key-encryption keys by id: the active one wraps new data keys; retired ones only unwrap old ones. */
export interface KeyRing {
  readonly activeId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

export function keyRingFrom(
  config: Pick<SessionsConfig, 'NOTES_KEK' | 'NOTES_KEK_ID' | 'NOTES_RETIRED_KEKS'>,
): KeyRing {
  const keys = new Map<string, Buffer>();
  if (config.NOTES_KEK === undefined) {
    // Development and tests without a configured key (production refuses to start without one).
    const id = `ephemeral-${randomBytes(4).toString('hex')}`;
    return { activeId: id, keys: new Map([[id, randomBytes(KEY_BYTES)]]) };
  }
  for (const pair of (config.NOTES_RETIRED_KEKS ?? '').split(',').filter(Boolean)) {
    const [id, key] = pair.split(':');
    if (id !== undefined && key !== undefined) keys.set(id, Buffer.from(key, 'base64'));
  }
  keys.set(config.NOTES_KEK_ID, Buffer.from(config.NOTES_KEK, 'base64'));
  for (const [id, key] of keys) {
    if (key.length !== KEY_BYTES) throw new Error(`Notes key ${id} must be ${KEY_BYTES} bytes`);
  }
  return { activeId: config.NOTES_KEK_ID, keys };
}

/** AES-256-GCM: iv ‖ tag ‖ ciphertext, authenticated together with `context` (what the bytes belong to). */
function seal(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer, context: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** A note's data key, unwrapped in memory for one use case; never stored in the clear. */
export interface DataKey {
  readonly key: Buffer;
  readonly kekId: string;
  readonly wrapped: Buffer;
}

/**
 * Envelope encryption of note text (architecture.md: free-text PHI is encrypted by the application). Each
 * note gets a random 256-bit data key; the text is sealed with it (AES-256-GCM, bound to the note and the
 * section it belongs to, so ciphertext cannot be moved between notes or sections), and the data key is
 * stored only wrapped by a key-encryption key from configuration, named by its id so keys can rotate.
 */
@Injectable()
export class NoteCipher {
  private readonly ring: KeyRing;

  constructor(config: SessionsConfig) {
    this.ring = keyRingFrom(config);
  }

  newDataKey(noteId: string): DataKey {
    const key = randomBytes(KEY_BYTES);
    const kek = this.kek(this.ring.activeId);
    return {
      key,
      kekId: this.ring.activeId,
      wrapped: seal(kek, key, `note-key|${noteId}|${this.ring.activeId}`),
    };
  }

  unwrap(noteId: string, kekId: string, wrapped: Buffer): DataKey {
    return { key: open(this.kek(kekId), wrapped, `note-key|${noteId}|${kekId}`), kekId, wrapped };
  }

  seal(dataKey: DataKey, value: unknown, context: string): Buffer {
    return seal(dataKey.key, Buffer.from(JSON.stringify(value), 'utf8'), context);
  }

  open<T>(dataKey: DataKey, sealed: Buffer, context: string): T {
    return JSON.parse(open(dataKey.key, sealed, context).toString('utf8')) as T;
  }

  private kek(id: string): Buffer {
    const kek = this.ring.keys.get(id);
    if (kek === undefined) throw new Error(`Notes key ${id} is not configured; add it to NOTES_RETIRED_KEKS`);
    return kek;
  }
}
