import { Injectable } from '@nestjs/common';
import { CancellationReason, type CareEvent } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { EnrollmentRepository } from './enrollment.repository';
import { causeOf, knownSite, lockEpisode } from './intake-facts';
import { Seating } from './seating';

/**
 * A discharge (ClientDischarged): ends the enrollment from the discharge (or now, if that is earlier) and
 * releases its seats and appointments; appointments booked by hand go too, enrolled or not.
 */
@Injectable()
export class DischargeClient {
  constructor(
    private readonly generator: ScheduleGenerator,
    private readonly seating: Seating,
    private readonly repository: EnrollmentRepository,
    private readonly clock: Clock,
  ) {}

  async execute(event: CareEvent<'ClientDischarged'>, tx: Transaction): Promise<void> {
    const data = event.data;
    await lockEpisode(tx, data.episodeId);
    const current = await this.repository.lockActive(tx.manager, data.episodeId);
    const now = this.clock.now();
    const from = new Date(Math.max(new Date(data.dischargedAt).getTime(), now.getTime()));
    const cause = causeOf(event);
    if (current === undefined) {
      // Appointments booked by hand (individual, family) may exist without an enrollment.
      await this.seating.cancelAppointments(
        tx,
        { episodeId: data.episodeId, from },
        CancellationReason.ClientDischarged,
        now,
        cause,
      );
      return;
    }
    await this.repository.end(tx.manager, current.id, 'discharged', from);
    const site = await knownSite(this.generator, tx, current.site_id);
    await this.seating.leave(tx, site, current, from, CancellationReason.ClientDischarged, now, cause);
  }
}
