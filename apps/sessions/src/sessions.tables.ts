import { createHash } from 'node:crypto';
import { SESSIONS_SCHEMA } from './sessions.schema';

/** A table of the sessions schema, quoted for SQL. */
export const table = (name: string): string => `"${SESSIONS_SCHEMA}"."${name}"`;

/**
 * A UUID derived from its parts (SHA-256, shaped as an RFC 9562 version-8 UUID): records derived from the
 * same facts get the same id, so replaying history reproduces them.
 */
export function derivedId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
