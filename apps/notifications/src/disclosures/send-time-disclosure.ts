import { Inject, Injectable } from '@nestjs/common';
import { SuppressionReason, outlivesConsent } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { DispatchSettings } from '../delivery/dispatch-settings';
import { type NotificationRow } from '../delivery/notification-store';
import { ConsentGate, type ConsentTerms } from './consent-gate';
import { type DisclosureChannel } from './disclosure-content';
import { type DisclosureNotice, currentDisclosureNotice } from './disclosure-notice';
import { type DisclosureRecords, DisclosuresRepository } from './disclosures.repository';

/** A disclosure cleared to go: the consent's terms and the notice it must carry. */
export interface ClearedDisclosure {
  readonly terms: ConsentTerms;
  readonly notice: DisclosureNotice;
  readonly noticeUrl: string;
  /** The purpose of this disclosure (one of the consent's). */
  readonly purpose: string;
}

/** What was sent: the channel and the hash of the exact content, for the accounting of disclosures. */
export interface SentDisclosure {
  readonly cleared: ClearedDisclosure;
  readonly channel: DisclosureChannel;
  readonly contentSha256: string;
}

/**
 * The redisclosure statement a notice that a consent ended carries: the statement stored with the consent is
 * intake's, and intake answers for active consents only; what it would allow no longer applies.
 */
export const ENDED_CONSENT_REDISCLOSURE = {
  version: 'consent-ended@1',
  text: 'The consent this notice is about has ended: no information may be redisclosed under it.',
} as const;

export type DisclosureClearance =
  | { readonly cleared: ClearedDisclosure; readonly refused?: undefined }
  | { readonly refused: SuppressionReason; readonly cleared?: undefined };

/**
 * What sending a disclosure (a family update, a webhook) adds to a send: its consent re-checked at send time,
 * the consent's terms (scope, redisclosure statement) and the §2.32 notice it must carry, and the disclosure
 * accounted for — with what exactly was sent — when it is sent.
 */
@Injectable()
export class SendTimeDisclosure {
  constructor(
    private readonly clock: Clock,
    private readonly settings: DispatchSettings,
    @Inject(DisclosuresRepository) private readonly disclosures: DisclosureRecords,
    @Inject(ConsentGate) private readonly consents: Pick<ConsentGate, 'intake'>,
  ) {}

  /**
   * Whether the disclosure may be made now, checked locally (revocations heard of) and then with intake
   * (revocations not heard of yet); when it may, with the terms it must carry. Intake allowing it without
   * complete terms means the notice and scope cannot be carried: refused as `notice-unavailable`.
   */
  async clearance(row: NotificationRow, recipientKind: string): Promise<DisclosureClearance> {
    const consentId = row.params['consentId'] ?? '';
    if (outlivesConsent(row.params['eventType'] ?? '')) return this.noticeOfEnd(row, consentId);
    if (!(await this.disclosures.consentActive(consentId, this.clock.now())))
      return { refused: SuppressionReason.ConsentRevoked };
    const purpose = row.params['purpose'] ?? '';
    const verdict = await this.consents.intake({
      clientId: row.client_id ?? '',
      recipientKind,
      recipientId: row.params['consentRecipientId'] ?? row.recipient_id,
      category: row.params['category'] ?? '',
      purpose,
    });
    if (!verdict.allowed)
      return {
        refused: /revok/.test(verdict.reason)
          ? SuppressionReason.ConsentRevoked
          : SuppressionReason.NoConsent,
      };
    if (verdict.terms === undefined) return { refused: SuppressionReason.NoticeUnavailable };
    return {
      cleared: {
        terms: verdict.terms,
        notice: currentDisclosureNotice(),
        noticeUrl: this.settings.noticeUrl,
        purpose,
      },
    };
  }

  /**
   * The one delivery made under a consent that has ended: the notice that it did (a revocation), to the
   * recipient the consent names — neither the local check nor intake's, which stop everything else under an
   * ended consent, applies. It carries the consent's scope as projected here, and is accounted for like any other.
   */
  private async noticeOfEnd(row: NotificationRow, consentId: string): Promise<DisclosureClearance> {
    const consent = await this.disclosures.namedConsent(consentId);
    if (consent === undefined) return { refused: SuppressionReason.NoConsent };
    return {
      cleared: {
        terms: {
          consentId,
          informationCategories: consent.categories,
          purposes: consent.purposes,
          expiresAt: consent.expiresAt.toISOString(),
          expiresOnEvent: null,
          redisclosure: ENDED_CONSENT_REDISCLOSURE,
        },
        notice: currentDisclosureNotice(),
        noticeUrl: this.settings.noticeUrl,
        purpose: row.params['purpose'] ?? '',
      },
    };
  }

  /** Accounts for the disclosure just made, in the transaction that records it as sent. */
  record(tx: Transaction, row: NotificationRow, sent: SentDisclosure): Promise<void> {
    const { terms, notice } = sent.cleared;
    return this.disclosures.recordDisclosure(tx.manager, {
      notificationId: row.id,
      clientId: row.client_id,
      siteId: row.site_id,
      recipientKind: row.params['consentRecipientKind'] ?? 'family-member',
      recipientId: row.params['consentRecipientId'] ?? row.recipient_id,
      consentId: terms.consentId,
      purpose: row.params['purpose'],
      category: row.params['category'],
      eventType: row.params['eventType'],
      noticeVersion: notice.version,
      channel: sent.channel,
      contentSha256: sent.contentSha256,
      redisclosureVersion: terms.redisclosure.version,
      scope: {
        informationCategories: terms.informationCategories,
        purposes: terms.purposes,
        expiresAt: terms.expiresAt,
        expiresOnEvent: terms.expiresOnEvent,
      },
      disclosedAt: this.clock.now(),
    });
  }
}
