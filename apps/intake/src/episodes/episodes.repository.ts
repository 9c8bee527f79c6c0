import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type AftercareReferral,
  type DischargeReason,
  type LevelOfCare,
  type LevelOfCareChangeKind,
  type Population,
} from '@stepwise/contracts';
import { type RecordKind } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';

export interface EpisodeRow {
  id: string;
  client_id: string;
  site_id: string;
  network_id: string | null;
  program_track_id: string;
  population: Population;
  clinical_level: LevelOfCare;
  authorized_level: LevelOfCare | null;
  primary_counselor_id: string;
  admitted_on: string;
  admitted_at: Date;
  status: 'active' | 'discharged';
  discharged_at: Date | null;
  discharge_reason: DischargeReason | null;
  referred_to: AftercareReferral[] | null;
}

export interface HistoryRow {
  kind: LevelOfCareChangeKind;
  from_level: string | null;
  to_level: string;
  effective_at: Date;
  reason_code: string;
  decided_by: string;
  recommendation_id: string | null;
  program_track_id: string | null;
  authorization_id: string | null;
  payer_code: string | null;
  authorization_number: string | null;
  authorized_units: number | null;
  authorized_from: string | null;
  authorized_to: string | null;
}

/** A level-of-care change to append to an episode's history. */
export interface LevelChange {
  readonly kind: LevelOfCareChangeKind;
  readonly fromLevel: string | null;
  readonly toLevel: string;
  readonly effectiveAt: Date;
  readonly reasonCode: string;
  readonly decidedBy: string;
  readonly programTrackId?: string;
  readonly recommendationId?: string;
  readonly authorization?: {
    readonly authorizationId: string;
    readonly payerCode: string;
    readonly authorizationNumber: string;
    readonly units: number;
    readonly startsOn: string;
    readonly endsOn: string;
  };
}

/** A new active episode, as admission opens it. */
export interface NewEpisode {
  readonly id: string;
  readonly clientId: string;
  readonly siteId: string;
  readonly networkId: string | null;
  readonly programTrackId: string;
  readonly population: Population;
  readonly levelOfCare: LevelOfCare;
  readonly primaryCounselorId: string;
  readonly referralId: string | null;
  readonly admittedOn: string;
  readonly admittedAt: Date;
  readonly createdBy: string;
}

/** How an episode ended. */
export interface Discharge {
  readonly dischargedAt: Date;
  readonly reason: DischargeReason;
  readonly referredTo: AftercareReferral[];
}

/** An episode with its level history, oldest change first. */
export interface StoredEpisode {
  readonly row: EpisodeRow;
  readonly history: HistoryRow[];
}

const COLUMNS = `id, client_id, site_id, network_id, program_track_id, population, clinical_level, authorized_level,
  primary_counselor_id, to_char(admitted_on, 'YYYY-MM-DD') AS admitted_on, admitted_at, status, discharged_at,
  discharge_reason, referred_to`;

export const EPISODE: RecordKind<EpisodeRow> = {
  table: 'intake.episodes',
  columns: COLUMNS,
  resourceType: 'episode',
  clientIdOf: (row) => row.client_id,
};

/** All SQL of episodes of care: the episode rows, their level history, and what admission and discharge touch. */
@Injectable()
export class EpisodesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The client's active episode, if any. */
  async active(manager: EntityManager, clientId: string): Promise<EpisodeRow | undefined> {
    const [row] = await manager.query<EpisodeRow[]>(
      `SELECT ${COLUMNS} FROM intake.episodes WHERE client_id = $1 AND status = 'active'`,
      [clientId],
    );
    return row;
  }

  /** Every episode of the client, oldest admission first. */
  ofClient(manager: EntityManager, clientId: string): Promise<EpisodeRow[]> {
    return manager.query<EpisodeRow[]>(
      `SELECT ${COLUMNS} FROM intake.episodes WHERE client_id = $1 ORDER BY admitted_at, id`,
      [clientId],
    );
  }

  /** The episode and its history; outside a transaction when no `manager` is given. */
  async find(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StoredEpisode | undefined> {
    const [row] = await manager.query<EpisodeRow[]>(`SELECT ${COLUMNS} FROM intake.episodes WHERE id = $1`, [
      id,
    ]);
    if (row === undefined) return undefined;
    const history = await manager.query<HistoryRow[]>(
      `SELECT kind, from_level, to_level, effective_at, reason_code, decided_by, recommendation_id, program_track_id,
              authorization_id, payer_code, authorization_number, authorized_units, to_char(authorized_from, 'YYYY-MM-DD') AS authorized_from,
              to_char(authorized_to, 'YYYY-MM-DD') AS authorized_to
         FROM intake.level_history WHERE episode_id = $1 ORDER BY recorded_at, id`,
      [id],
    );
    return { row, history };
  }

  async insert(manager: EntityManager, episode: NewEpisode): Promise<void> {
    await manager.query(
      `INSERT INTO intake.episodes (id, client_id, site_id, network_id, program_track_id, population, clinical_level,
         primary_counselor_id, referral_id, admitted_on, admitted_at, status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12)`,
      [
        episode.id,
        episode.clientId,
        episode.siteId,
        episode.networkId,
        episode.programTrackId,
        episode.population,
        episode.levelOfCare,
        episode.primaryCounselorId,
        episode.referralId,
        episode.admittedOn,
        episode.admittedAt,
        episode.createdBy,
      ],
    );
  }

  /** The client's record follows them to the site of their episode. */
  async moveClient(
    manager: EntityManager,
    clientId: string,
    siteId: string,
    networkId: string | null,
  ): Promise<void> {
    await manager.query(`UPDATE intake.clients SET site_id = $2, network_id = $3 WHERE id = $1`, [
      clientId,
      siteId,
      networkId,
    ]);
  }

  async discharge(manager: EntityManager, id: string, discharge: Discharge): Promise<void> {
    await manager.query(
      `UPDATE intake.episodes SET status = 'discharged', discharged_at = $2, discharge_reason = $3, referred_to = $4
        WHERE id = $1`,
      [id, discharge.dischargedAt, discharge.reason, discharge.referredTo],
    );
  }

  /** Declines the episode's open level-of-care reviews, which can no longer be decided once it ended. */
  async declineOpenReviews(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE intake.reviews SET status = 'declined', decline_reason = 'episode-ended', decided_at = $2
        WHERE episode_id = $1 AND status = 'open'`,
      [id, at],
    );
  }

  /** The episode continues at another site of the network (a transfer). */
  async moveToSite(manager: EntityManager, id: string, siteId: string, networkId: string): Promise<void> {
    await manager.query(`UPDATE intake.episodes SET site_id = $2, network_id = $3 WHERE id = $1`, [
      id,
      siteId,
      networkId,
    ]);
  }

  async setAuthorizedLevel(manager: EntityManager, id: string, level: LevelOfCare): Promise<void> {
    await manager.query(`UPDATE intake.episodes SET authorized_level = $2 WHERE id = $1`, [id, level]);
  }

  async setClinicalLevel(
    manager: EntityManager,
    id: string,
    level: LevelOfCare,
    programTrackId: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE intake.episodes SET clinical_level = $2, program_track_id = $3 WHERE id = $1`,
      [id, level, programTrackId],
    );
  }

  async addHistory(manager: EntityManager, episodeId: string, entry: LevelChange): Promise<void> {
    await manager.query(
      `INSERT INTO intake.level_history (id, episode_id, kind, from_level, to_level, effective_at, reason_code,
         decided_by, recommendation_id, program_track_id, authorization_number, authorized_units, authorized_from,
         authorized_to, authorization_id, payer_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        randomUUID(),
        episodeId,
        entry.kind,
        entry.fromLevel,
        entry.toLevel,
        entry.effectiveAt,
        entry.reasonCode,
        entry.decidedBy,
        entry.recommendationId ?? null,
        entry.programTrackId ?? null,
        entry.authorization?.authorizationNumber ?? null,
        entry.authorization?.units ?? null,
        entry.authorization?.startsOn ?? null,
        entry.authorization?.endsOn ?? null,
        entry.authorization?.authorizationId ?? null,
        entry.authorization?.payerCode ?? null,
      ],
    );
  }
}
