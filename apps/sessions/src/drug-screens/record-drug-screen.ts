import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DrugScreenResult, type MedicationCode } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { Clock } from '@stepwise/platform';
import { EvaluateEpisode } from '../progress/evaluate-episode';
import { ProgramCounters } from '../progress/program-counters';
import { episodeForNewRecord } from './episode-record-access';
import { interpretScreen, localDateOf } from '@stepwise/care-rules';
import { CareRulesRepository } from '../projections/care-rules.repository';
import { MedicationsRepository } from '../medications/medications.repository';
import { SitesRepository, timeZoneOf } from '../projections/sites.repository';
import { DrugScreensRepository } from './drug-screens.repository';
import { type DrugScreenView, type RecordDrugScreenDto } from './drug-screen.dto';

const unprocessable = (detail: string): ProblemException => new ProblemException('unprocessable', { detail });

/**
 * Records a drug screen result, read against the episode's medication list under the program policy in force
 * (`interpretScreen`; a care rule set, its version stored with the screen): DrugScreenResulted with its interpretation; only use (a positive no
 * active MAT medication explains) moves the sobriety date; a missing MAT medication publishes
 * PossibleMedicationDiversion; the progress rules re-run on what the screen counts as (positive evidence feeds
 * engagement risk and step-up; negatives in a row, including expected MAT positives, feed step-down).
 */
@Injectable()
export class RecordDrugScreen {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly sites: SitesRepository,
    private readonly screens: DrugScreensRepository,
    private readonly evaluate: EvaluateEpisode,
    private readonly clock: Clock,
    private readonly counters: ProgramCounters,
    private readonly medications: MedicationsRepository,
    private readonly careRules: CareRulesRepository,
  ) {}

  async record(actor: Actor, input: RecordDrugScreenDto): Promise<DrugScreenView> {
    return this.uow.run(async (tx) => {
      const screenId = randomUUID();
      const { episode, site, attempt } = await episodeForNewRecord(
        { scoped: this.scoped, sites: this.sites, episodes: this.screens },
        tx,
        actor,
        input.episodeId,
        { resourceType: 'drugscreen', resourceId: screenId },
      );
      const zone = timeZoneOf(site);
      const collectedAt = new Date(input.collectedAt);
      const resultedAt = new Date(input.resultedAt);
      if (resultedAt <= collectedAt) throw unprocessable('resultedAt must be after collectedAt');
      if (resultedAt > this.clock.now()) throw unprocessable('resultedAt is in the future');
      if (collectedAt < episode.admitted_at)
        throw unprocessable('The specimen was collected before admission');
      if (episode.discharged_at !== null && collectedAt > episode.discharged_at) {
        throw unprocessable('The specimen was collected after discharge');
      }
      const positive = input.result === DrugScreenResult.Positive;
      if (positive !== input.substanceCodes.length > 0) {
        throw unprocessable('List the detected substances for a positive result, and none otherwise');
      }
      const substances = [...new Set(input.substanceCodes)].sort();
      const collectedOn = localDateOf(collectedAt, zone);
      const policy = (await this.careRules.inForce(tx.manager)).programPolicy;
      const reading = interpretScreen(
        input.result,
        substances,
        collectedOn,
        await this.medications.facts(tx.manager, input.episodeId),
        policy.programPolicy,
      );
      await this.screens.insert(tx.manager, {
        screenId,
        clientId: episode.client_id,
        episodeId: input.episodeId,
        siteId: episode.site_id,
        collectedAt,
        collectedOn,
        resultedAt,
        result: input.result,
        substanceCodes: substances,
        interpretation: reading.interpretation,
        evidence: reading.evidence,
        programPolicyVersion: policy.id,
        recordedBy: actor.principal.id,
        recordedAt: this.clock.now(),
      });
      const sobrietySince = await this.screens.applyToSobriety(
        tx.manager,
        input.episodeId,
        reading.resetsSobriety,
        collectedAt,
      );
      await tx.publish('DrugScreenResulted', {
        screenId,
        clientId: episode.client_id,
        episodeId: input.episodeId,
        siteId: episode.site_id,
        collectedAt: collectedAt.toISOString(),
        resultedAt: resultedAt.toISOString(),
        result: input.result,
        substanceCodes: substances,
        interpretation: reading.interpretation,
      });
      // A prescribed MAT medication the screen did not show: an alert for the counselor, not a relapse.
      for (const { medication, substances: missingSubstances } of reading.missing) {
        await tx.publish('PossibleMedicationDiversion', {
          screenId,
          clientId: episode.client_id,
          episodeId: input.episodeId,
          siteId: episode.site_id,
          medicationId: medication.medicationId,
          medicationCode: medication.medicationCode as MedicationCode,
          missingSubstances,
        });
      }
      await this.scoped.audited(
        actor,
        'create',
        attempt,
        { id: screenId, siteId: episode.site_id, clientId: episode.client_id },
        tx.manager,
      );
      await this.evaluate.run(tx, input.episodeId);
      this.counters.screened(tx, { site: episode.site_id, result: input.result });
      return {
        screenId,
        clientId: episode.client_id,
        episodeId: input.episodeId,
        siteId: episode.site_id,
        collectedAt: collectedAt.toISOString(),
        collectedOn,
        resultedAt: resultedAt.toISOString(),
        result: input.result,
        substanceCodes: substances,
        interpretation: reading.interpretation,
        sobrietySince: sobrietySince?.toISOString() ?? null,
      };
    });
  }
}
