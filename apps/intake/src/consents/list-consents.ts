import { Injectable } from '@nestjs/common';
import { type Actor, type Page, ScopedRecords } from '@stepwise/security';
import { CLIENT } from '../clients/clients.service';
import { type ConsentListQuery, type ConsentView } from './consent.dto';
import { consentView } from './consent-view';
import { CONSENT, ConsentsRepository } from './consents.repository';

/** A page of the client's consents, oldest first; the listing is audited against the client. */
@Injectable()
export class ListConsents {
  constructor(
    private readonly records: ScopedRecords,
    private readonly consents: ConsentsRepository,
  ) {}

  async execute(actor: Actor, clientId: string, query: ConsentListQuery): Promise<Page<ConsentView>> {
    const client = await this.records.load(actor, CLIENT, clientId, 'list');
    const page = await this.consents.page(clientId, query, consentView);
    await this.records.audited(actor, 'list', CONSENT, { id: clientId, siteId: client.site_id, clientId });
    return page;
  }
}
