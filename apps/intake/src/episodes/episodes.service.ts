import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type AftercareReferral,
  type DischargeReason,
  type LevelOfCare,
  LevelOfCareChangeKind,
  LevelOfCareChangeReason,
  type Population,
} from '@stepwise/contracts';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException, type RecordKind, ScopedRecords } from '@stepwise/security';
import { startOfLocalDay } from '@stepwise/care-rules';
import { DataSource, type EntityManager } from 'typeorm';
import { ClientsService } from '../clients/clients.service';
import { ReferenceProjection } from '../reference/reference-projection';
import { ADMITTABLE_STATUSES, ReferralStatus } from '../referrals/referral.rules';
import { ReferralsService } from '../referrals/referrals.service';
import { iso, staffIdOf } from '../shared/staff';
import {
  type AdmitClientDto,
  type AuthorizationDto,
  type DischargeDto,
  type EpisodeView,
  type LevelChangeView,
} from './episode.dto';

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

interface HistoryRow {
  kind: LevelOfCareChangeKind;
  from_level: string | null;
  to_level: string;
  effective_at: Date;
  reason_code: string;
  decided_by: string;
  recommendation_id: string | null;
  program_track_id: string | null;
  authorization_number: string | null;
  authorized_units: number | null;
  authorized_from: string | null;
  authorized_to: string | null;
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

/** A clinical level change, as approved from a review or decided by a clinician. */
export interface ClinicalChange {
  readonly toLevel: LevelOfCare;
  readonly programTrackId: string;
  readonly reasonCode: LevelOfCareChangeReason;
  readonly decidedBy: string;
  readonly effectiveAt: Date;
  readonly recommendationId?: string;
}

/** The site's midnight of a calendar date, as an instant (UTC when the site is not projected yet). */
const startOfDay = (date: string, timeZone: string | undefined): Date =>
  startOfLocalDay(date, timeZone ?? 'UTC');

/**
 * Episodes of care: admission into a program track at a site (one active episode per client), the clinical
 * and the payer-authorized level of care with their history, and discharge.
 */
@Injectable()
export class EpisodesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly clients: ClientsService,
    private readonly referrals: ReferralsService,
    private readonly reference: ReferenceProjection,
  ) {}

  load(actor: Actor, id: string, action: string, manager?: EntityManager): Promise<EpisodeRow> {
    return this.records.load(actor, EPISODE, id, action, manager);
  }

  /** The client's active episode, if any. */
  async active(manager: EntityManager, clientId: string): Promise<EpisodeRow | undefined> {
    const [row] = await manager.query<EpisodeRow[]>(
      `SELECT ${COLUMNS} FROM intake.episodes WHERE client_id = $1 AND status = 'active'`,
      [clientId],
    );
    return row;
  }

  /** A track the episode may be in: projected from scheduling, active, at the site, for the population (and level). */
  async assertTrack(
    manager: EntityManager,
    trackId: string,
    siteId: string,
    population: Population,
    level?: LevelOfCare,
  ): Promise<void> {
    const track = await this.reference.track(trackId, manager);
    const problem =
      track === undefined || !track.active || track.siteId !== siteId
        ? 'no active program track with this id at the site'
        : track.population !== population
          ? `the track is not for the ${population} population`
          : level !== undefined && track.levelOfCare !== level
            ? `the track is not at level ${level}`
            : undefined;
    if (problem !== undefined) {
      throw new ProblemException('unknown-program-track', {
        errors: [{ field: 'programTrackId', problems: [problem] }],
      });
    }
  }

  async admit(actor: Actor, clientId: string, body: AdmitClientDto): Promise<EpisodeView> {
    const decidedBy = actor.principal.id;
    return this.unitOfWork.run(async (tx) => {
      const client = await this.clients.load(actor, clientId, 'admit', tx.manager);
      await this.assertTrack(tx.manager, body.programTrackId, body.siteId, body.population, body.levelOfCare);
      if ((await this.active(tx.manager, clientId)) !== undefined) {
        throw new ProblemException('episode-already-active', {
          detail: 'Discharge the active episode before admitting again',
        });
      }
      if (body.referralId !== undefined) {
        const referral = await this.referrals.load(actor, body.referralId, 'update', tx.manager);
        if (referral.site_id !== body.siteId || (referral.client_id ?? clientId) !== clientId) {
          throw new ProblemException('unprocessable', {
            errors: [{ field: 'referralId', problems: ['the referral is for another site or client'] }],
          });
        }
        if (!ADMITTABLE_STATUSES.includes(referral.status)) {
          throw new ProblemException('invalid-transition', {
            detail: `A ${referral.status} referral cannot be admitted`,
          });
        }
        await this.referrals.setStatus(tx.manager, referral.id, ReferralStatus.Admitted, clientId);
      }
      const site = await this.reference.site(body.siteId, tx.manager);
      const admittedAt = startOfDay(body.admittedOn, site?.timeZone);
      const id = randomUUID();
      const networkId = site?.networkId ?? client.network_id;
      await tx.manager.query(
        `INSERT INTO intake.episodes (id, client_id, site_id, network_id, program_track_id, population, clinical_level,
           primary_counselor_id, referral_id, admitted_on, admitted_at, status, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12)`,
        [
          id,
          clientId,
          body.siteId,
          networkId,
          body.programTrackId,
          body.population,
          body.levelOfCare,
          body.primaryCounselorId,
          body.referralId ?? null,
          body.admittedOn,
          admittedAt,
          decidedBy,
        ],
      );
      await this.recordHistory(tx.manager, id, {
        kind: LevelOfCareChangeKind.Clinical,
        fromLevel: null,
        toLevel: body.levelOfCare,
        effectiveAt: admittedAt,
        reasonCode: 'admission',
        decidedBy,
        programTrackId: body.programTrackId,
      });
      // The client is now cared for at the episode's site; their record follows them there.
      await tx.manager.query(`UPDATE intake.clients SET site_id = $2, network_id = $3 WHERE id = $1`, [
        clientId,
        body.siteId,
        networkId,
      ]);
      await tx.publish('ClientAdmitted', {
        episodeId: id,
        clientId,
        siteId: body.siteId,
        programTrackId: body.programTrackId,
        levelOfCare: body.levelOfCare,
        population: body.population,
        admittedAt: admittedAt.toISOString(),
        primaryCounselorId: body.primaryCounselorId,
      });
      const changed = await this.view(tx.manager, id);
      await this.records.audited(actor, 'admit', EPISODE, changed, tx.manager);
      return changed;
    });
  }

  async read(actor: Actor, id: string): Promise<EpisodeView> {
    await this.records.read(actor, EPISODE, id);
    return this.view(this.dataSource.manager, id);
  }

  async discharge(actor: Actor, id: string, body: DischargeDto): Promise<EpisodeView> {
    return this.unitOfWork.run(async (tx) => {
      const episode = await this.load(actor, id, 'discharge', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is already discharged' });
      }
      const dischargedAt = new Date(body.dischargedAt);
      if (dischargedAt < episode.admitted_at) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'dischargedAt', problems: ['dischargedAt must not be before the admission'] }],
        });
      }
      await tx.manager.query(
        `UPDATE intake.episodes SET status = 'discharged', discharged_at = $2, discharge_reason = $3, referred_to = $4
          WHERE id = $1`,
        [id, dischargedAt, body.reason, body.referredTo],
      );
      // Open level-of-care reviews of the episode can no longer be decided.
      await tx.manager.query(
        `UPDATE intake.reviews SET status = 'declined', decline_reason = 'episode-ended', decided_at = $2
          WHERE episode_id = $1 AND status = 'open'`,
        [id, dischargedAt],
      );
      await tx.publish('ClientDischarged', {
        episodeId: id,
        clientId: episode.client_id,
        siteId: episode.site_id,
        dischargedAt: dischargedAt.toISOString(),
        reason: body.reason,
        referredTo: body.referredTo,
      });
      const changed = await this.view(tx.manager, id);
      await this.records.audited(actor, 'discharge', EPISODE, changed, tx.manager);
      return changed;
    });
  }

  /** Records a payer authorization; the authorized level changes (and is published) when it differs. */
  async authorize(actor: Actor, id: string, body: AuthorizationDto): Promise<EpisodeView> {
    const decidedBy = staffIdOf(actor);
    if (body.endsOn < body.startsOn) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'endsOn', problems: ['endsOn must not be before startsOn'] }],
      });
    }
    return this.unitOfWork.run(async (tx) => {
      const episode = await this.load(actor, id, 'authorize', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is discharged' });
      }
      const site = await this.reference.site(episode.site_id, tx.manager);
      const effectiveAt = startOfDay(body.startsOn, site?.timeZone);
      // Before any authorization, the level a payer is asked to authorize is the clinical one.
      const fromLevel = episode.authorized_level ?? episode.clinical_level;
      await tx.manager.query(`UPDATE intake.episodes SET authorized_level = $2 WHERE id = $1`, [
        id,
        body.levelOfCare,
      ]);
      await this.recordHistory(tx.manager, id, {
        kind: LevelOfCareChangeKind.Authorized,
        fromLevel: episode.authorized_level,
        toLevel: body.levelOfCare,
        effectiveAt,
        reasonCode: LevelOfCareChangeReason.PayerAuthorization,
        decidedBy,
        authorization: body,
      });
      if (fromLevel !== body.levelOfCare) {
        await tx.publish('LevelOfCareChanged', {
          episodeId: id,
          clientId: episode.client_id,
          siteId: episode.site_id,
          kind: LevelOfCareChangeKind.Authorized,
          fromLevel,
          toLevel: body.levelOfCare,
          effectiveAt: effectiveAt.toISOString(),
          reasonCode: LevelOfCareChangeReason.PayerAuthorization,
          decidedBy,
        });
      }
      const changed = await this.view(tx.manager, id);
      await this.records.audited(actor, 'authorize', EPISODE, changed, tx.manager);
      return changed;
    });
  }

  /**
   * Changes the clinical level (and track) of an active episode inside the caller's transaction and
   * publishes LevelOfCareChanged: used when a clinician approves a step-down/step-up review.
   */
  async changeClinicalLevel(tx: Transaction, episode: EpisodeRow, change: ClinicalChange): Promise<void> {
    await tx.manager.query(
      `UPDATE intake.episodes SET clinical_level = $2, program_track_id = $3 WHERE id = $1`,
      [episode.id, change.toLevel, change.programTrackId],
    );
    await this.recordHistory(tx.manager, episode.id, {
      kind: LevelOfCareChangeKind.Clinical,
      fromLevel: episode.clinical_level,
      toLevel: change.toLevel,
      effectiveAt: change.effectiveAt,
      reasonCode: change.reasonCode,
      decidedBy: change.decidedBy,
      programTrackId: change.programTrackId,
      ...(change.recommendationId === undefined ? {} : { recommendationId: change.recommendationId }),
    });
    await tx.publish('LevelOfCareChanged', {
      episodeId: episode.id,
      clientId: episode.client_id,
      siteId: episode.site_id,
      kind: LevelOfCareChangeKind.Clinical,
      fromLevel: episode.clinical_level,
      toLevel: change.toLevel,
      newProgramTrackId: change.programTrackId,
      ...(change.recommendationId === undefined ? {} : { recommendationId: change.recommendationId }),
      effectiveAt: change.effectiveAt.toISOString(),
      reasonCode: change.reasonCode,
      decidedBy: change.decidedBy,
    });
  }

  private async recordHistory(
    manager: EntityManager,
    episodeId: string,
    entry: {
      kind: LevelOfCareChangeKind;
      fromLevel: string | null;
      toLevel: string;
      effectiveAt: Date;
      reasonCode: string;
      decidedBy: string;
      programTrackId?: string;
      recommendationId?: string;
      authorization?: AuthorizationDto;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO intake.level_history (id, episode_id, kind, from_level, to_level, effective_at, reason_code,
         decided_by, recommendation_id, program_track_id, authorization_number, authorized_units, authorized_from,
         authorized_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
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
      ],
    );
  }

  private async view(manager: EntityManager, id: string): Promise<EpisodeView> {
    const [row] = await manager.query<EpisodeRow[]>(`SELECT ${COLUMNS} FROM intake.episodes WHERE id = $1`, [
      id,
    ]);
    if (row === undefined) throw new ProblemException('not-found', { detail: 'No such episode' });
    const history = await manager.query<HistoryRow[]>(
      `SELECT kind, from_level, to_level, effective_at, reason_code, decided_by, recommendation_id, program_track_id,
              authorization_number, authorized_units, to_char(authorized_from, 'YYYY-MM-DD') AS authorized_from,
              to_char(authorized_to, 'YYYY-MM-DD') AS authorized_to
         FROM intake.level_history WHERE episode_id = $1 ORDER BY recorded_at, id`,
      [id],
    );
    return {
      id: row.id,
      clientId: row.client_id,
      siteId: row.site_id,
      programTrackId: row.program_track_id,
      population: row.population,
      clinicalLevel: row.clinical_level,
      authorizedLevel: row.authorized_level,
      primaryCounselorId: row.primary_counselor_id,
      admittedOn: row.admitted_on,
      admittedAt: row.admitted_at.toISOString(),
      status: row.status,
      dischargedAt: iso(row.discharged_at),
      dischargeReason: row.discharge_reason,
      referredTo: row.referred_to ?? [],
      levelHistory: history.map((h): LevelChangeView => ({
        kind: h.kind,
        fromLevel: h.from_level,
        toLevel: h.to_level,
        effectiveAt: h.effective_at.toISOString(),
        reasonCode: h.reason_code,
        decidedBy: h.decided_by,
        recommendationId: h.recommendation_id,
        programTrackId: h.program_track_id,
        authorizationNumber: h.authorization_number,
        units: h.authorized_units,
        startsOn: h.authorized_from,
        endsOn: h.authorized_to,
      })),
    };
  }
}
