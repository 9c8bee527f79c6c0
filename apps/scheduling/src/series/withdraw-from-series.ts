import { Injectable } from '@nestjs/common';
import { type CancellationReason } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { Seating } from '../enrollment/seating';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { SERIES_RECORD, SeriesRepository } from './series.repository';
import { type CapacityView } from './series.views';
import { ViewSeriesCapacity } from './view-series-capacity';

/**
 * Takes a client out of a series (seat or waitlist). A seated client's future appointments in it are
 * cancelled and the seat goes to the first waiting client; the answer is the capacity after the change.
 */
@Injectable()
export class WithdrawFromSeries {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly repository: SeriesRepository,
    private readonly seating: Seating,
    private readonly generator: ScheduleGenerator,
    private readonly capacity: ViewSeriesCapacity,
    private readonly clock: Clock,
  ) {}

  async execute(
    actor: Actor,
    seriesId: string,
    clientId: string,
    reason: CancellationReason,
  ): Promise<CapacityView> {
    // Checked before, not inside, the transaction: the generator locks series rows in id order, and locking
    // this one first would take them out of that order against a concurrent horizon run.
    const series = await this.records.load(actor, SERIES_RECORD, seriesId, 'update');
    await this.unitOfWork.run(async (tx) => {
      const member = await this.repository.lockMember(tx.manager, seriesId, clientId);
      if (member === undefined)
        throw new ProblemException('not-found', { detail: 'The client is not in this series' });
      const now = this.clock.now();
      await this.repository.markLeft(tx.manager, member.member_id, now);
      const record = { id: seriesId, siteId: series.site_id, clientId };
      await this.records.audited(actor, 'withdraw', { resourceType: 'series-member' }, record, tx.manager);
      if (member.member_status !== 'seated') return;
      await this.seating.cancelAppointments(
        tx,
        { episodeId: member.episode_id, from: now, seriesId },
        reason,
        now,
      );
      const site = await this.generator.loadSite(tx, series.site_id);
      if (site !== undefined) await this.seating.promote(tx, site, seriesId, now);
    });
    return this.capacity.execute(actor, seriesId);
  }
}
