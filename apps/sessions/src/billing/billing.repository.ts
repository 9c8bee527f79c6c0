import { Injectable } from '@nestjs/common';
import {
  type EpisodeDiagnosesChangedV1Payload,
  type LevelOfCare,
  type PayerAuthorizationRecordedV1Payload,
} from '@stepwise/contracts';
import { type AttendanceOutcome, type EpisodeBillingFacts } from '@stepwise/care-rules';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';

interface EpisodeRow {
  episode_id: string;
  client_id: string;
  level_of_care: LevelOfCare;
  time_zone: string;
}

interface SessionRow {
  episode_id: string;
  session_date: string;
  starts_at: Date;
  outcome: AttendanceOutcome;
  minutes: number;
  staff_id: string;
  site_id: string;
}

interface AuthorizationRow {
  authorization_id: string;
  episode_id: string;
  authorization_number: string;
  payer_code: string;
  level_of_care: LevelOfCare;
  units: number;
  starts_on: string;
  ends_on: string;
  recorded_at: Date;
}

interface DiagnosisRow {
  episode_id: string;
  revision: number;
  effective_on: string;
  diagnosis_codes: string[];
}

/** A warning once published for an authorization. */
export interface AuthorizationWarningRow {
  readonly authorizationId: string;
  readonly kind: 'units-low' | 'expiring';
  readonly episodeId: string;
  readonly remainingUnits: number;
  readonly asOf: string;
  readonly ruleSetId: string;
  readonly warnedAt: Date;
}

const byEpisode = <T extends { episode_id: string }>(rows: readonly T[], id: string): T[] =>
  rows.filter((row) => row.episode_id === id);

/** All SQL of billing: intake's authorizations and diagnoses projected, and the facts an episode is billed on. */
@Injectable()
export class BillingRepository {
  /** An authorization never changes once recorded (a new one is a new id), so a redelivery is a no-op. */
  async projectAuthorization(m: EntityManager, a: PayerAuthorizationRecordedV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('payer_authorizations')} (authorization_id, episode_id, client_id, site_id, payer_code,
         authorization_number, level_of_care, units, starts_on, ends_on, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (authorization_id) DO NOTHING`,
      [
        a.authorizationId,
        a.episodeId,
        a.clientId,
        a.siteId,
        a.payerCode,
        a.authorizationNumber,
        a.levelOfCare,
        a.units,
        a.startsOn,
        a.endsOn,
        a.recordedAt,
      ],
    );
  }

  /** Each revision is kept (what an earlier day was billed with stays known); a redelivery is a no-op. */
  async projectDiagnoses(m: EntityManager, d: EpisodeDiagnosesChangedV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('episode_diagnoses')} (episode_id, revision, diagnosis_codes, effective_on)
       VALUES ($1, $2, $3, $4) ON CONFLICT (episode_id, revision) DO NOTHING`,
      [d.episodeId, d.revision, d.diagnosisCodes, d.effectiveOn],
    );
  }

  /**
   * The episodes with attendance at a site between two dates (`until` exclusive), a page at a time after
   * `afterEpisodeId`, in id order.
   */
  async episodesAttendedAt(
    m: EntityManager,
    page: { siteId: string; from: string; until: string; afterEpisodeId: string | null; limit: number },
  ): Promise<string[]> {
    const rows = await m.query<{ episode_id: string }[]>(
      `SELECT DISTINCT episode_id FROM ${table('attendance')}
        WHERE site_id = $1 AND session_date >= $2::date AND session_date < $3::date
          AND ($4::uuid IS NULL OR episode_id > $4::uuid)
        ORDER BY episode_id LIMIT $5`,
      [page.siteId, page.from, page.until, page.afterEpisodeId, page.limit],
    );
    return rows.map((row) => row.episode_id);
  }

  /**
   * What billing reads of each episode (whole episodes: authorizations count down from the first billed day).
   * Episodes whose site time zone is not known yet are left out (their reference data is on its way).
   */
  async facts(m: EntityManager, episodeIds: readonly string[]): Promise<EpisodeBillingFacts[]> {
    if (episodeIds.length === 0) return [];
    const ids = [...episodeIds];
    const episodes = await m.query<EpisodeRow[]>(
      `SELECT e.episode_id, e.client_id, e.level_of_care, s.time_zone
         FROM ${table('episodes')} e JOIN ${table('sites')} s USING (site_id)
        WHERE e.episode_id = ANY($1::uuid[]) ORDER BY e.episode_id`,
      [ids],
    );
    // One connection per transaction: the reads run one after the other.
    const sessions = await m.query<SessionRow[]>(
      `SELECT a.episode_id, to_char(a.session_date, 'YYYY-MM-DD') AS session_date, r.starts_at, a.outcome,
              a.minutes_attended AS minutes, r.facilitator_id AS staff_id, a.site_id
         FROM ${table('attendance')} a JOIN ${table('session_records')} r USING (appointment_id)
        WHERE a.episode_id = ANY($1::uuid[])`,
      [ids],
    );
    const levels = await m.query<{ episode_id: string; level_of_care: LevelOfCare; effective_at: Date }[]>(
      `SELECT episode_id, level_of_care, effective_at FROM ${table('level_history')}
        WHERE episode_id = ANY($1::uuid[]) ORDER BY effective_at`,
      [ids],
    );
    const authorizations = await m.query<AuthorizationRow[]>(
      `SELECT authorization_id, episode_id, authorization_number, payer_code, level_of_care, units,
              to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on, recorded_at
         FROM ${table('payer_authorizations')} WHERE episode_id = ANY($1::uuid[])`,
      [ids],
    );
    const diagnoses = await m.query<DiagnosisRow[]>(
      `SELECT episode_id, revision, to_char(effective_on, 'YYYY-MM-DD') AS effective_on, diagnosis_codes
         FROM ${table('episode_diagnoses')} WHERE episode_id = ANY($1::uuid[])`,
      [ids],
    );
    return episodes.map((e) => ({
      episodeId: e.episode_id,
      clientId: e.client_id,
      timeZone: e.time_zone,
      level: e.level_of_care,
      levels: byEpisode(levels, e.episode_id).map((l) => ({
        level: l.level_of_care,
        from: l.effective_at.toISOString(),
      })),
      sessions: byEpisode(sessions, e.episode_id).map((s) => ({
        sessionDate: s.session_date,
        startsAt: s.starts_at.toISOString(),
        outcome: s.outcome,
        minutes: s.minutes,
        staffId: s.staff_id,
        siteId: s.site_id,
      })),
      authorizations: byEpisode(authorizations, e.episode_id).map((a) => ({
        authorizationId: a.authorization_id,
        authorizationNumber: a.authorization_number,
        payerCode: a.payer_code,
        level: a.level_of_care,
        units: a.units,
        startsOn: a.starts_on,
        endsOn: a.ends_on,
        recordedAt: a.recorded_at.toISOString(),
      })),
      diagnoses: byEpisode(diagnoses, e.episode_id).map((d) => ({
        revision: d.revision,
        effectiveOn: d.effective_on,
        diagnosisCodes: d.diagnosis_codes,
      })),
    }));
  }

  /** Records a warning; false when it was recorded before (it is then not published again). */
  async warnOnce(m: EntityManager, warning: AuthorizationWarningRow): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO ${table('authorization_warnings')} (authorization_id, kind, episode_id, remaining_units, as_of,
         rule_set_id, warned_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (authorization_id, kind) DO NOTHING RETURNING kind`,
      [
        warning.authorizationId,
        warning.kind,
        warning.episodeId,
        warning.remainingUnits,
        warning.asOf,
        warning.ruleSetId,
        warning.warnedAt,
      ],
    );
    return rows.length > 0;
  }
}
