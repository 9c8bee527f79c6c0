import { NotificationErrorCode } from '@stepwise/contracts';
import { httpFailure, networkFailure } from '../channels/channel';
import { ServiceTokenError, type ServiceTokenClient } from '@stepwise/security';
import { serviceTokenFailure } from '../contacts/service-token-failure';

/** One disclosure to check: whose information, to whom, what kind of information, for what purpose. */
export interface DisclosureRequest {
  readonly clientId: string;
  readonly recipientKind: string;
  readonly recipientId: string;
  readonly category: string;
  readonly purpose: string;
}

/**
 * What a disclosure under a consent must carry of it (42 CFR 2.32, 2.31): its scope — categories, purposes,
 * expiry — and the redisclosure statement stored with it. Codes and dates only; never the recipient's name.
 */
export interface ConsentTerms {
  readonly consentId: string;
  readonly informationCategories: readonly string[];
  readonly purposes: readonly string[];
  readonly expiresAt: string;
  readonly expiresOnEvent: string | null;
  readonly redisclosure: { readonly version: string; readonly text: string };
}

/** Intake's verdict; an allowed one without complete terms cannot be disclosed (nothing to carry the notice). */
export type DisclosureVerdict =
  | { readonly allowed: true; readonly consentId: string; readonly terms?: ConsentTerms }
  | { readonly allowed: false; readonly reason: string };

const strings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** The consent's terms as intake answered them, or undefined when any part is missing or malformed. */
export function consentTerms(consentId: string, value: unknown): ConsentTerms | undefined {
  const terms = value as Partial<Record<keyof ConsentTerms, unknown>> | null | undefined;
  const redisclosure = terms?.redisclosure as { version?: unknown; text?: unknown } | undefined;
  if (
    terms === null ||
    terms === undefined ||
    !strings(terms.informationCategories) ||
    terms.informationCategories.length === 0 ||
    !strings(terms.purposes) ||
    terms.purposes.length === 0 ||
    typeof terms.expiresAt !== 'string' ||
    Number.isNaN(Date.parse(terms.expiresAt)) ||
    !(terms.expiresOnEvent === null || typeof terms.expiresOnEvent === 'string') ||
    typeof redisclosure?.version !== 'string' ||
    typeof redisclosure.text !== 'string' ||
    redisclosure.text.trim() === ''
  )
    return undefined;
  return {
    consentId,
    informationCategories: terms.informationCategories,
    purposes: terms.purposes,
    expiresAt: terms.expiresAt,
    expiresOnEvent: terms.expiresOnEvent,
    redisclosure: { version: redisclosure.version, text: redisclosure.text },
  };
}

/**
 * Consent for a disclosure as intake (the owner of consents) sees it now. Disclosures are checked against this
 * service's projection of ConsentGranted / ConsentRevoked (`DisclosuresRepository`) when queued and when sent,
 * and with intake at send time, so a revocation this service has not heard of yet still stops them.
 */
export class ConsentGate {
  constructor(
    private readonly intakeUrl: string,
    private readonly tokens: ServiceTokenClient,
  ) {}

  /** Intake's answer for this disclosure now. Unreachable intake is a retryable failure: nothing is disclosed. */
  async intake(request: DisclosureRequest): Promise<DisclosureVerdict> {
    let response: Response;
    try {
      response = await fetch(`${this.intakeUrl}/v1/internal/disclosure-checks`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await this.tokens.token()}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      if (error instanceof ServiceTokenError) throw serviceTokenFailure(error);
      throw networkFailure(error, NotificationErrorCode.ProviderUnavailable);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw httpFailure(
        response.status >= 500 ? response.status : 503,
        NotificationErrorCode.ProviderUnavailable,
      );
    }
    const body = (await response.json()) as {
      allowed?: unknown;
      consentId?: unknown;
      reason?: unknown;
      terms?: unknown;
    };
    if (body.allowed === true && typeof body.consentId === 'string') {
      const terms = consentTerms(body.consentId, body.terms);
      return { allowed: true, consentId: body.consentId, ...(terms === undefined ? {} : { terms }) };
    }
    return { allowed: false, reason: typeof body.reason === 'string' ? body.reason : 'not-allowed' };
  }
}
