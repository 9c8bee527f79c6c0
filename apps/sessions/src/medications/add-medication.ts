import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { expectedSubstancesOf, isLocalDate, localDateOf } from '@stepwise/care-rules';
import { CareRulesRepository } from '../projections/care-rules.repository';
import { DrugScreensRepository } from '../drug-screens/drug-screens.repository';
import { episodeForNewRecord } from '../drug-screens/episode-record-access';
import { SitesRepository, timeZoneOf } from '../projections/sites.repository';
import { type AddMedicationDto, type MedicationView } from './medication.dto';
import { MedicationsRepository } from './medications.repository';

const unprocessable = (detail: string): ProblemException => new ProblemException('unprocessable', { detail });

/**
 * Adds a medication to an episode's list (site-scoped, audited) and publishes MedicationStarted. Drug screens
 * collected while a MAT medication is active are read against its expected substances: the prescriber's list,
 * else the one the program policy in force gives its code — stored with the medication, so a later policy
 * version does not change how its earlier screens were read.
 */
@Injectable()
export class AddMedication {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly sites: SitesRepository,
    private readonly episodes: DrugScreensRepository,
    private readonly medications: MedicationsRepository,
    private readonly clock: Clock,
    private readonly careRules: CareRulesRepository,
  ) {}

  async execute(actor: Actor, episodeId: string, body: AddMedicationDto): Promise<MedicationView> {
    return this.uow.run(async (tx) => {
      const medicationId = randomUUID();
      const { episode, site, attempt } = await episodeForNewRecord(
        { scoped: this.scoped, sites: this.sites, episodes: this.episodes },
        tx,
        actor,
        episodeId,
        { resourceType: 'medication', resourceId: medicationId },
      );
      if (!isLocalDate(body.startsOn)) throw unprocessable('startsOn is not a calendar date');
      if (body.startsOn > localDateOf(this.clock.now(), timeZoneOf(site))) {
        throw unprocessable('startsOn is in the future');
      }
      if (!body.mat && (body.expectedSubstances ?? []).length > 0) {
        throw unprocessable('Only a MAT medication lists expected screen substances');
      }
      const policy = (await this.careRules.inForce(tx.manager)).programPolicy.programPolicy;
      const expected =
        body.expectedSubstances ?? (body.mat ? expectedSubstancesOf(policy, body.medicationCode) : []);
      const medication = await this.medications.insert(tx.manager, {
        medicationId,
        episodeId,
        clientId: episode.client_id,
        siteId: episode.site_id,
        medicationCode: body.medicationCode,
        mat: body.mat,
        prescriberId: body.prescriberId,
        startsOn: body.startsOn,
        expectedSubstances: [...expected].sort(),
        recordedBy: actor.principal.id,
        recordedAt: this.clock.now(),
      });
      await tx.publish('MedicationStarted', {
        medicationId,
        clientId: medication.clientId,
        episodeId,
        siteId: medication.siteId,
        medicationCode: medication.medicationCode,
        mat: medication.mat,
        prescriberId: medication.prescriberId,
        startsOn: medication.startsOn,
        expectedSubstances: medication.expectedSubstances,
      });
      const record = { id: medicationId, siteId: medication.siteId, clientId: medication.clientId };
      await this.scoped.audited(actor, 'create', attempt, record, tx.manager);
      return medication;
    });
  }
}
