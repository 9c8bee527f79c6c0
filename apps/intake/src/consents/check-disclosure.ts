import { Injectable } from '@nestjs/common';
import { Clock } from '@stepwise/platform';
import { type Actor, AuditTrail, ScopedRecords } from '@stepwise/security';
import { CLIENT } from '../clients/clients.repository';
import { type DisclosureCheckDto } from './consent.dto';
import { ConsentsRepository } from './consents.repository';
import { type DisclosureDecision, decideDisclosure } from './disclosure';

/** The disclosure check other services (service principals) ask: decided now, from the client's consents; audited. */
@Injectable()
export class CheckDisclosure {
  constructor(
    private readonly records: ScopedRecords,
    private readonly consents: ConsentsRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, body: DisclosureCheckDto): Promise<DisclosureDecision> {
    const client = await this.records.load(actor, CLIENT, body.clientId, 'check');
    const now = this.clock.now();
    const decision = decideDisclosure(await this.consents.disclosureFacts(body.clientId, now), body, now);
    await this.audit.record(actor, {
      action: decision.allowed ? 'allow' : 'refuse',
      resourceType: 'disclosure',
      ...(decision.allowed ? { resourceId: decision.consentId } : {}),
      clientId: body.clientId,
      siteId: client.site_id,
      outcome: 'allowed',
    });
    return decision;
  }
}
