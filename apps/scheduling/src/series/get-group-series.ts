import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { SERIES_RECORD } from './series.repository';
import { type GroupSeriesView, seriesView } from './series.views';

/** One group series (no client data: reads are not audited). */
@Injectable()
export class GetGroupSeries {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, seriesId: string): Promise<GroupSeriesView> {
    return seriesView(await this.records.load(actor, SERIES_RECORD, seriesId, 'read'));
  }
}
