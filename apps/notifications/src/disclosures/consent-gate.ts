import { NotificationErrorCode } from '@stepwise/contracts';
import { httpFailure, networkFailure } from '../channels/channel';
import {
  ServiceTokenError,
  type ServiceTokenClient,
  serviceTokenFailure,
} from '../contacts/service-token.client';

/** One disclosure to check: whose information, to whom, what kind of information, for what purpose. */
export interface DisclosureRequest {
  readonly clientId: string;
  readonly recipientKind: string;
  readonly recipientId: string;
  readonly category: string;
  readonly purpose: string;
}

export type DisclosureVerdict =
  | { readonly allowed: true; readonly consentId: string }
  | { readonly allowed: false; readonly reason: string };

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
    const body = (await response.json()) as { allowed?: unknown; consentId?: unknown; reason?: unknown };
    if (body.allowed === true && typeof body.consentId === 'string')
      return { allowed: true, consentId: body.consentId };
    return { allowed: false, reason: typeof body.reason === 'string' ? body.reason : 'not-allowed' };
  }
}
