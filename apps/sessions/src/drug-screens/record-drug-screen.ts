import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DrugScreenResult } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { Clock } from '@stepwise/platform';
import { EvaluateEpisode, lockEpisodes } from '../progress/evaluate-episode';
import { ProgramCounters } from '../progress/program-counters';
import { localDateOf } from '@stepwise/care-rules';
import { SitesRepository, timeZoneOf } from '../projections/sites.repository';
import { DrugScreensRepository } from './drug-screens.repository';
import { type DrugScreenView, type RecordDrugScreenDto } from './drug-screen.dto';

const unprocessable = (detail: string): ProblemException => new ProblemException('unprocessable', { detail });

/**
 * Records a drug screen result: DrugScreenResulted, a positive result moves the episode's sobriety date to
 * the collection time, and the progress rules re-run on the new fact (positive screens feed engagement risk
 * and step-up; negatives in a row feed step-down).
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
  ) {}

  async record(actor: Actor, input: RecordDrugScreenDto): Promise<DrugScreenView> {
    return this.uow.run(async (tx) => {
      await lockEpisodes(tx, [input.episodeId]);
      const episode = await this.screens.episode(tx.manager, input.episodeId);
      if (episode === undefined) throw new ProblemException('not-found', { detail: 'No such episode' });
      const screenId = randomUUID();
      const attempt = {
        action: 'create',
        resourceType: 'drugscreen',
        resourceId: screenId,
        clientId: episode.client_id,
      };
      const site = await this.sites.site(tx.manager, episode.site_id);
      await this.scoped.assertSite(actor, site, attempt);
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
        recordedBy: actor.principal.id,
        recordedAt: this.clock.now(),
      });
      const sobrietySince = await this.screens.applyToSobriety(
        tx.manager,
        input.episodeId,
        positive,
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
      });
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
        sobrietySince: sobrietySince?.toISOString() ?? null,
      };
    });
  }
}
