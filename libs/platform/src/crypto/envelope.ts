import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const ENVELOPE_KEY_BYTES = 32;

/** A 256-bit key in base64 (what a KEK variable holds). */
export const BASE64_256_BITS = /^[A-Za-z0-9+/]{43}=$/;
/** A key id: short, lower case, stored beside each wrapped data key. */
export const KEY_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Retired KEKs: `id:base64,id:base64`. */
export const RETIRED_KEYS =
  /^([a-z0-9][a-z0-9._-]{0,63}:[A-Za-z0-9+/]{43}=)(,[a-z0-9][a-z0-9._-]{0,63}:[A-Za-z0-9+/]{43}=)*$/;

/** The key-encryption keys by id: the active one wraps new data keys; retired ones only unwrap old ones. */
export interface KeyRing {
  readonly activeId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** A service's KEK settings, whatever its variables are called (`NOTES_KEK`, `PHI_KEK`…). */
export interface KekSettings {
  /** The active KEK, base64; undefined outside production means a random key per process. */
  readonly kek: string | undefined;
  readonly kekId: string;
  /** `id:base64,id:base64`; empty or undefined when none. */
  readonly retired: string | undefined;
}

export function keyRingFrom(settings: KekSettings): KeyRing {
  if (settings.kek === undefined) {
    // Development and tests without a configured key (production refuses to start without one).
    const id = `ephemeral-${randomBytes(4).toString('hex')}`;
    return { activeId: id, keys: new Map([[id, randomBytes(ENVELOPE_KEY_BYTES)]]) };
  }
  const keys = new Map<string, Buffer>();
  for (const pair of (settings.retired ?? '').split(',').filter(Boolean)) {
    const [id, key] = pair.split(':');
    if (id !== undefined && key !== undefined) keys.set(id, Buffer.from(key, 'base64'));
  }
  keys.set(settings.kekId, Buffer.from(settings.kek, 'base64'));
  for (const [id, key] of keys) {
    if (key.length !== ENVELOPE_KEY_BYTES) throw new Error(`Key ${id} must be ${ENVELOPE_KEY_BYTES} bytes`);
  }
  return { activeId: settings.kekId, keys };
}

/** AES-256-GCM: iv ‖ tag ‖ ciphertext, authenticated together with `context` (what the bytes belong to). */
export function seal(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer, context: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** A record's data key, unwrapped in memory for one use case; never stored in the clear. */
export interface DataKey {
  readonly key: Buffer;
  readonly kekId: string;
  readonly wrapped: Buffer;
}

/**
 * Envelope encryption of free-text PHI (architecture.md: encrypted by the application, key outside the
 * database). Each record gets a random 256-bit data key; values are sealed with it (AES-256-GCM, bound to a
 * context naming the record and field, so ciphertext cannot be moved between records or fields), and the data
 * key is stored only wrapped by a key-encryption key from configuration, named by its id so keys can rotate.
 * `purpose` names the kind of record in the wrapping context (`note`, `plan`…) and in error messages.
 */
export class EnvelopeCipher {
  private readonly ring: KeyRing;

  constructor(
    settings: KekSettings,
    private readonly purpose: string,
    private readonly retiredVariable: string,
  ) {
    this.ring = keyRingFrom(settings);
  }

  newDataKey(recordId: string): DataKey {
    const key = randomBytes(ENVELOPE_KEY_BYTES);
    const kekId = this.ring.activeId;
    return { key, kekId, wrapped: seal(this.kek(kekId), key, this.wrapContext(recordId, kekId)) };
  }

  unwrap(recordId: string, kekId: string, wrapped: Buffer): DataKey {
    return { key: open(this.kek(kekId), wrapped, this.wrapContext(recordId, kekId)), kekId, wrapped };
  }

  seal(dataKey: DataKey, value: unknown, context: string): Buffer {
    return seal(dataKey.key, Buffer.from(JSON.stringify(value), 'utf8'), context);
  }

  open<T>(dataKey: DataKey, sealed: Buffer, context: string): T {
    return JSON.parse(open(dataKey.key, sealed, context).toString('utf8')) as T;
  }

  private wrapContext(recordId: string, kekId: string): string {
    return `${this.purpose}-key|${recordId}|${kekId}`;
  }

  private kek(id: string): Buffer {
    const kek = this.ring.keys.get(id);
    if (kek === undefined)
      throw new Error(`The ${this.purpose} key ${id} is not configured; add it to ${this.retiredVariable}`);
    return kek;
  }
}
