import { Injectable } from '@nestjs/common';
import { type Actor, type Page, ScopedRecords } from '@stepwise/security';
import { listOfClient } from '../clients/list-of-client';
import { type ScreeningListQuery, type ScreeningView } from './screening.dto';
import { screeningView } from './screening-view';
import { SCREENING, ScreeningsRepository } from './screenings.repository';

/** A page of the client's screenings, oldest first; the listing is audited against the client. */
@Injectable()
export class ListScreenings {
  constructor(
    private readonly records: ScopedRecords,
    private readonly screenings: ScreeningsRepository,
  ) {}

  execute(actor: Actor, clientId: string, query: ScreeningListQuery): Promise<Page<ScreeningView>> {
    return listOfClient(this.records, actor, clientId, SCREENING, () =>
      this.screenings.page(clientId, query, screeningView),
    );
  }
}
