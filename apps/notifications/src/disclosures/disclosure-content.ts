import { createHash } from 'node:crypto';
import { type ConsentTerms } from './consent-gate';
import { type DisclosureNotice } from './disclosure-notice';

/** How a disclosure leaves: an e-mail, a text message or a webhook body. */
export type DisclosureChannel = 'email' | 'sms' | 'webhook';

/** The parts of a disclosure that the rules require, as the channel's text carries them. */
export interface DisclosureParts {
  /** The consent's scope: what may be disclosed, for which purpose, until when. */
  readonly scope: string;
  /** The §2.32 notice: in full, or (SMS) the short statement and where the full notice is. */
  readonly notice: string;
  /** The redisclosure statement stored with the consent (absent from SMS: the full notice page has it). */
  readonly redisclosure?: string;
}

const words = (code: string): string => code.replace(/-/g, ' ');
const dateOf = (instant: string): string => instant.slice(0, 10);

function until(terms: ConsentTerms): string {
  const date = dateOf(terms.expiresAt);
  return terms.expiresOnEvent === null ? date : `${date} or ${words(terms.expiresOnEvent)}, if sooner`;
}

/**
 * The §2.32 notice and the consent's scope in the channel's form. E-mail carries the full notice, the scope and
 * the redisclosure statement; a text message, which has no room for pages of text, carries the scope, the short
 * statement and the address of the full notice.
 */
export function disclosureParts(
  channel: Exclude<DisclosureChannel, 'webhook'>,
  terms: ConsentTerms,
  purpose: string,
  notice: DisclosureNotice,
  noticeUrl: string,
): DisclosureParts {
  if (channel === 'sms')
    return {
      scope: `Shared with consent (${terms.informationCategories.map(words).join(', ')}; for ${words(purpose)}; until ${until(terms)}).`,
      notice: `${notice.short} Full notice: ${noticeUrl}`,
    };
  return {
    scope:
      `This is shared with the client's written consent (reference ${terms.consentId}). It covers: ` +
      `${terms.informationCategories.map(words).join(', ')}; for: ${terms.purposes.map(words).join(', ')} ` +
      `(this message: ${words(purpose)}); valid until ${until(terms)}.`,
    notice: notice.text,
    redisclosure: terms.redisclosure.text,
  };
}

/** Whether a rendered text carries every required part verbatim (a template that dropped one fails this). */
export function carriesParts(text: string, parts: DisclosureParts): boolean {
  return [parts.scope, parts.notice, parts.redisclosure].every(
    (part) => part === undefined || text.includes(part),
  );
}

/**
 * The SHA-256 (hex) of exactly what was sent: a webhook's body as posted, a message's text — preceded, for an
 * e-mail, by its subject and a blank line — so the log can later prove which text a recipient got.
 */
export function contentHash(text: string, subject?: string): string {
  return createHash('sha256')
    .update(subject === undefined ? text : `${subject}\n\n${text}`)
    .digest('hex');
}
