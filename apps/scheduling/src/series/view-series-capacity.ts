import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { SERIES_RECORD, SeriesRepository } from './series.repository';
import { type CapacityView, capacityView } from './series.views';

/** The waitlist names clients, so a capacity read is audited as a read of the series' waitlist. */
export const WAITLIST = { resourceType: 'waitlist' } as const;

/** Seats taken, seats free and the waitlist in order. */
@Injectable()
export class ViewSeriesCapacity {
  constructor(
    private readonly records: ScopedRecords,
    private readonly repository: SeriesRepository,
  ) {}

  async execute(actor: Actor, seriesId: string): Promise<CapacityView> {
    const series = await this.records.load(actor, SERIES_RECORD, seriesId, 'read');
    const members = await this.repository.members(seriesId);
    await this.records.audited(actor, 'read', WAITLIST, { id: seriesId, siteId: series.site_id });
    return capacityView(series, members);
  }
}
