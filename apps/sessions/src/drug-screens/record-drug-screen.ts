import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DrugScreenResult } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException } from '@stepwise/security';
import { Clock } from '@stepwise/platform';
import { EvaluateEpisode, lockEpisodes } from '../progress/evaluate-episode';
import { localDateOf } from '@stepwise/care-rules';
import { SiteRecords } from '../shared/site-records';
import { table } from '../sessions.tables';
import { type DrugScreenView, type RecordDrugScreenDto } from './drug-screen.dto';

interface EpisodeRow {
  client_id: string;
  site_id: string;
  admitted_at: Date;
  discharged_at: Date | null;
}

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
    private readonly sites: SiteRecords,
    private readonly evaluate: EvaluateEpisode,
    private readonly clock: Clock,
  ) {}

  async record(actor: Actor, input: RecordDrugScreenDto): Promise<DrugScreenView> {
    return this.uow.run(async (tx) => {
      await lockEpisodes(tx, [input.episodeId]);
      const [episode] = await tx.manager.query<EpisodeRow[]>(
        `SELECT client_id, site_id, admitted_at, discharged_at FROM ${table('episodes')} WHERE episode_id = $1
         FOR UPDATE`,
        [input.episodeId],
      );
      if (episode === undefined) throw new ProblemException('not-found', { detail: 'No such episode' });
      const screenId = randomUUID();
      const attempt = {
        action: 'create',
        resourceType: 'drugscreen',
        resourceId: screenId,
        clientId: episode.client_id,
      };
      const zone = this.sites.timeZoneOf(
        await this.sites.assertAccess(actor, tx.manager, episode.site_id, attempt),
      );
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
      await tx.manager.query(
        `INSERT INTO ${table('drug_screens')} (screen_id, client_id, episode_id, site_id, collected_at, collected_on,
           resulted_at, result, substance_codes, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          screenId,
          episode.client_id,
          input.episodeId,
          episode.site_id,
          collectedAt,
          collectedOn,
          resultedAt,
          input.result,
          substances,
          actor.principal.id,
          this.clock.now(),
        ],
      );
      // A late-arriving older positive never moves the date back.
      const [[sobriety]] = await tx.manager.query<[{ sobriety_since: Date | null }[], number]>(
        `UPDATE ${table('episodes')} SET sobriety_since = CASE WHEN $2 THEN GREATEST(sobriety_since, $3::timestamptz)
           ELSE sobriety_since END WHERE episode_id = $1 RETURNING sobriety_since`,
        [input.episodeId, positive, collectedAt],
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
      await this.sites.allowed(actor, { ...attempt, siteId: episode.site_id }, tx.manager);
      await this.evaluate.run(tx, input.episodeId);
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
        sobrietySince: sobriety?.sobriety_since?.toISOString() ?? null,
      };
    });
  }
}
