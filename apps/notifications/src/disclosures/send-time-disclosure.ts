import { Inject, Injectable } from '@nestjs/common';
import { SuppressionReason } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type NotificationRow } from '../delivery/notification-store';
import { ConsentGate } from './consent-gate';
import { currentDisclosureNotice } from './disclosure-notice';
import { type DisclosureRecords, DisclosuresRepository } from './disclosures.repository';

/**
 * What sending a disclosure (a family update, a webhook) adds to a send: its consent re-checked at send time,
 * and the disclosure accounted for when it is sent.
 */
@Injectable()
export class SendTimeDisclosure {
  constructor(
    private readonly clock: Clock,
    @Inject(DisclosuresRepository) private readonly disclosures: DisclosureRecords,
    @Inject(ConsentGate) private readonly consents: Pick<ConsentGate, 'intake'>,
  ) {}

  /**
   * Why the disclosure's consent no longer holds, checked locally (revocations heard of) and then with intake
   * (revocations not heard of yet); undefined while it holds.
   */
  async refusal(row: NotificationRow, recipientKind: string): Promise<SuppressionReason | undefined> {
    const consentId = row.params['consentId'] ?? '';
    if (!(await this.disclosures.consentActive(consentId, this.clock.now())))
      return SuppressionReason.ConsentRevoked;
    const verdict = await this.consents.intake({
      clientId: row.client_id ?? '',
      recipientKind,
      recipientId: row.params['consentRecipientId'] ?? row.recipient_id,
      category: row.params['category'] ?? '',
      purpose: row.params['purpose'] ?? '',
    });
    if (verdict.allowed) return undefined;
    return /revok/.test(verdict.reason) ? SuppressionReason.ConsentRevoked : SuppressionReason.NoConsent;
  }

  /** Accounts for the disclosure just made, in the transaction that records it as sent. */
  record(tx: Transaction, row: NotificationRow): Promise<void> {
    return this.disclosures.recordDisclosure(tx.manager, {
      notificationId: row.id,
      clientId: row.client_id,
      siteId: row.site_id,
      recipientKind: row.params['consentRecipientKind'] ?? 'family-member',
      recipientId: row.params['consentRecipientId'] ?? row.recipient_id,
      consentId: row.params['consentId'],
      purpose: row.params['purpose'],
      category: row.params['category'],
      eventType: row.params['eventType'],
      noticeVersion: currentDisclosureNotice().version,
      disclosedAt: this.clock.now(),
    });
  }
}
