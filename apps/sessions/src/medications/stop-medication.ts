import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { isLocalDate } from '@stepwise/care-rules';
import { SitesRepository } from '../projections/sites.repository';
import { type MedicationView, type StopMedicationDto } from './medication.dto';
import { MedicationsRepository } from './medications.repository';

/** Stops a medication of an episode's list (its last day; site-scoped, audited) and publishes MedicationStopped. */
@Injectable()
export class StopMedication {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly sites: SitesRepository,
    private readonly medications: MedicationsRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, medicationId: string, body: StopMedicationDto): Promise<MedicationView> {
    return this.uow.run(async (tx) => {
      const medication = await this.medications.lock(tx.manager, medicationId);
      if (medication === undefined) throw new ProblemException('not-found', { detail: 'No such medication' });
      const attempt = {
        action: 'update',
        resourceType: 'medication',
        resourceId: medicationId,
        clientId: medication.clientId,
      };
      await this.scoped.assertSite(actor, await this.sites.site(tx.manager, medication.siteId), attempt);
      if (medication.stopsOn !== null) {
        throw new ProblemException('invalid-transition', {
          detail: `The medication stopped on ${medication.stopsOn}`,
        });
      }
      if (!isLocalDate(body.stopsOn) || body.stopsOn < medication.startsOn) {
        throw new ProblemException('unprocessable', {
          detail: 'stopsOn must be a date on or after startsOn',
        });
      }
      const stopped = await this.medications.stop(tx.manager, medicationId, {
        stopsOn: body.stopsOn,
        stoppedBy: actor.principal.id,
        stoppedAt: this.clock.now(),
      });
      await tx.publish('MedicationStopped', {
        medicationId,
        clientId: stopped.clientId,
        episodeId: stopped.episodeId,
        siteId: stopped.siteId,
        stopsOn: body.stopsOn,
      });
      const record = { id: medicationId, siteId: stopped.siteId, clientId: stopped.clientId };
      await this.scoped.audited(actor, 'update', attempt, record, tx.manager);
      return stopped;
    });
  }
}
