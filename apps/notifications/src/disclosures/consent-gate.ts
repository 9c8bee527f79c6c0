import { NotificationErrorCode } from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import { httpFailure, networkFailure } from '../channels/channel';
import {
  ServiceTokenError,
  type ServiceTokenClient,
  serviceTokenFailure,
} from '../contacts/service-token.client';
import { T } from '../delivery/notification-store';

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

export interface LocalConsent {
  readonly consentId: string;
  readonly purpose: string;
}

/**
 * Consent for a disclosure, checked twice: against this service's projection of ConsentGranted / ConsentRevoked
 * when the disclosure is queued and again when it is sent, and, at send time, with intake (the owner of
 * consents) so a revocation this service has not heard of yet still stops it.
 */
export class ConsentGate {
  constructor(
    private readonly intakeUrl: string,
    private readonly tokens: ServiceTokenClient,
  ) {}

  /** An active consent in the projection (granted, not revoked, not expired) for one of `purposes`. */
  async local(
    manager: EntityManager,
    request: Omit<DisclosureRequest, 'purpose'> & { purposes: readonly string[] },
    at: Date,
  ): Promise<LocalConsent | undefined> {
    const [row] = await manager.query<{ consent_id: string; purpose: string }[]>(
      `SELECT consent_id, (SELECT p FROM unnest(purposes) p WHERE p = ANY($5::text[]) LIMIT 1) AS purpose
         FROM ${T('consents')}
        WHERE client_id = $1 AND recipient_id = $2 AND recipient_kind = $3 AND $4 = ANY(categories)
          AND purposes && $5::text[] AND revoked_at IS NULL AND granted_at <= $6 AND expires_at > $6
        ORDER BY granted_at DESC LIMIT 1`,
      [request.clientId, request.recipientId, request.recipientKind, request.category, request.purposes, at],
    );
    return row === undefined ? undefined : { consentId: row.consent_id, purpose: row.purpose };
  }

  /** Whether the consent a disclosure was queued under has been revoked (or has expired) since. */
  async revokedSince(manager: EntityManager, consentId: string, at: Date): Promise<boolean> {
    const [row] = await manager.query<{ active: boolean }[]>(
      `SELECT (revoked_at IS NULL AND expires_at > $2) AS active FROM ${T('consents')} WHERE consent_id = $1`,
      [consentId, at],
    );
    return row?.active !== true;
  }

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
