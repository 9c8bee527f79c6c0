import { Injectable } from '@nestjs/common';
import { Clock } from '@stepwise/platform';
import { type Actor, AuditTrail, ProblemException, ScopedRecords } from '@stepwise/security';
import { type ContactChannel, type ContactView } from '../clients/client.dto';
import { CLIENT } from '../clients/clients.repository';
import { contactView } from '../clients/contact-view';
import { ConsentsRepository } from './consents.repository';

/**
 * How to reach a family member named in a current (granted, unrevoked, unexpired) consent of the client, on
 * one channel: for the notifications service, after its disclosure check. The client's time zone and
 * language apply. Audited; 404 when no current consent names them or they have no such contact.
 */
@Injectable()
export class FindFamilyContact {
  constructor(
    private readonly records: ScopedRecords,
    private readonly consents: ConsentsRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(
    actor: Actor,
    clientId: string,
    recipientId: string,
    channel: ContactChannel,
  ): Promise<ContactView> {
    const client = await this.records.load(actor, CLIENT, clientId, 'contact');
    const row = await this.consents.familyContact(clientId, recipientId, this.clock.now());
    await this.audit.record(actor, {
      action: 'contact',
      resourceType: 'recipient',
      resourceId: recipientId,
      clientId,
      siteId: client.site_id,
      outcome: 'allowed',
    });
    if (row === undefined) {
      throw new ProblemException('not-found', {
        detail: 'No family member of the client under a current consent',
      });
    }
    return contactView(channel, row, 'recipient', client);
  }
}
