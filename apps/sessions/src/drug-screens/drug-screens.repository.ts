import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';

export interface ScreenedEpisodeRow {
  client_id: string;
  site_id: string;
  admitted_at: Date;
  discharged_at: Date | null;
}

/** A drug screen as recorded (substances already de-duplicated and sorted). */
export interface DrugScreenWrite {
  readonly screenId: string;
  readonly clientId: string;
  readonly episodeId: string;
  readonly siteId: string;
  readonly collectedAt: Date;
  readonly collectedOn: string;
  readonly resultedAt: Date;
  readonly result: string;
  readonly substanceCodes: readonly string[];
  readonly interpretation: string;
  readonly evidence: string;
  /** The program policy (a care rule set's id) the screen was read under. */
  readonly programPolicyVersion: string;
  readonly recordedBy: string;
  readonly recordedAt: Date;
}

/** All SQL of drug screens: the screened episode, the screen row and the episode's sobriety date. */
@Injectable()
export class DrugScreensRepository {
  async episode(m: EntityManager, episodeId: string): Promise<ScreenedEpisodeRow | undefined> {
    const [episode] = await m.query<ScreenedEpisodeRow[]>(
      `SELECT client_id, site_id, admitted_at, discharged_at FROM ${table('episodes')} WHERE episode_id = $1
       FOR UPDATE`,
      [episodeId],
    );
    return episode;
  }

  async insert(m: EntityManager, s: DrugScreenWrite): Promise<void> {
    await m.query(
      `INSERT INTO ${table('drug_screens')} (screen_id, client_id, episode_id, site_id, collected_at, collected_on,
         resulted_at, result, substance_codes, recorded_by, recorded_at, interpretation, evidence,
         program_policy_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        s.screenId,
        s.clientId,
        s.episodeId,
        s.siteId,
        s.collectedAt,
        s.collectedOn,
        s.resultedAt,
        s.result,
        s.substanceCodes,
        s.recordedBy,
        s.recordedAt,
        s.interpretation,
        s.evidence,
        s.programPolicyVersion,
      ],
    );
  }

  /** Moves the sobriety date to the collection time of a screen showing use; a late-arriving older positive never moves it back. */
  async applyToSobriety(
    m: EntityManager,
    episodeId: string,
    positive: boolean,
    collectedAt: Date,
  ): Promise<Date | null> {
    const [[sobriety]] = await m.query<[{ sobriety_since: Date | null }[], number]>(
      `UPDATE ${table('episodes')} SET sobriety_since = CASE WHEN $2 THEN GREATEST(sobriety_since, $3::timestamptz)
         ELSE sobriety_since END WHERE episode_id = $1 RETURNING sobriety_since`,
      [episodeId, positive, collectedAt],
    );
    return sobriety?.sobriety_since ?? null;
  }
}
