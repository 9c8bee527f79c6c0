import { Injectable } from '@nestjs/common';
import { type Actor, type Page, ScopedRecords } from '@stepwise/security';
import { listOfClient } from '../clients/list-of-client';
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

  execute(actor: Actor, clientId: string, query: ConsentListQuery): Promise<Page<ConsentView>> {
    return listOfClient(this.records, actor, clientId, CONSENT, () =>
      this.consents.page(clientId, query, consentView),
    );
  }
}
