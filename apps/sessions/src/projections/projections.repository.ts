import { Injectable } from '@nestjs/common';
import {
  type AppointmentCancelledV1Payload,
  type AppointmentRescheduledV1Payload,
  type AppointmentScheduledV1Payload,
  type AssessmentCompletedV1Payload,
  type ClientAdmittedV1Payload,
  type ClientDischargedV1Payload,
  type ClientTransferredV1Payload,
  type ClientEnrolledV1Payload,
  LevelOfCareChangeKind,
  type LevelOfCareChangedV1Payload,
  type ProgramTrackUpsertedV1Payload,
  type SiteUpsertedV1Payload,
  type TreatmentPlanReviewedV1Payload,
  type TreatmentPlanSignedV1Payload,
} from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';

/**
 * Writes the projections of other services' facts. Every write is an upsert keyed by the fact's natural id
 * (reference data only moves forward by `updatedAt`), so applying a fact twice changes nothing.
 */
@Injectable()
export class ProjectionsRepository {
  async upsertSite(m: EntityManager, site: SiteUpsertedV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('sites')} AS s (site_id, network_id, time_zone, active, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (site_id) DO UPDATE SET network_id = EXCLUDED.network_id, time_zone = EXCLUDED.time_zone,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE s.updated_at <= EXCLUDED.updated_at`,
      [site.siteId, site.networkId, site.timeZone, site.active, site.updatedAt],
    );
  }

  async upsertTrack(m: EntityManager, track: ProgramTrackUpsertedV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('program_tracks')} AS t
         (program_track_id, site_id, level_of_care, population, planned_weekly_minutes, active, updated_at,
          expected_stay_weeks, documentation_grace_hours)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (program_track_id) DO UPDATE SET site_id = EXCLUDED.site_id,
         level_of_care = EXCLUDED.level_of_care, population = EXCLUDED.population,
         planned_weekly_minutes = EXCLUDED.planned_weekly_minutes, active = EXCLUDED.active,
         updated_at = EXCLUDED.updated_at, expected_stay_weeks = EXCLUDED.expected_stay_weeks,
         documentation_grace_hours = EXCLUDED.documentation_grace_hours
       WHERE t.updated_at <= EXCLUDED.updated_at`,
      [
        track.programTrackId,
        track.siteId,
        track.levelOfCare,
        track.population,
        track.plannedWeeklyMinutes,
        track.active,
        track.updatedAt,
        track.expectedStayWeeks ?? null,
        // Null: the program policy in force when a week closes decides.
        track.documentationGraceHours ?? null,
      ],
    );
  }

  async admit(m: EntityManager, admitted: ClientAdmittedV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('episodes')} (episode_id, client_id, site_id, program_track_id, level_of_care,
         population, admitted_at, primary_counselor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (episode_id) DO NOTHING`,
      [
        admitted.episodeId,
        admitted.clientId,
        admitted.siteId,
        admitted.programTrackId,
        admitted.levelOfCare,
        admitted.population,
        admitted.admittedAt,
        admitted.primaryCounselorId,
      ],
    );
    await m.query(
      `INSERT INTO ${table('level_history')} (episode_id, effective_at, level_of_care) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [admitted.episodeId, admitted.admittedAt, admitted.levelOfCare],
    );
  }

  /** A clinical change moves the level the rules judge by (and the track, when given); an authorized one is kept beside it. */
  async changeLevel(m: EntityManager, change: LevelOfCareChangedV1Payload): Promise<void> {
    if (change.kind === LevelOfCareChangeKind.Authorized) {
      await m.query(`UPDATE ${table('episodes')} SET authorized_level = $2 WHERE episode_id = $1`, [
        change.episodeId,
        change.toLevel,
      ]);
      return;
    }
    // Each clinical change starts a new level epoch: the evidence before it was acted on (see mayRecommend).
    // A change re-published under a new event id finds the episode at its level already and changes nothing.
    const [, changed] = await m.query<[unknown[], number]>(
      `UPDATE ${table('episodes')} SET level_of_care = $2, program_track_id = COALESCE($3, program_track_id),
         level_epoch = level_epoch + 1, level_since = $4
       WHERE episode_id = $1 AND level_of_care <> $2 RETURNING episode_id`,
      [change.episodeId, change.toLevel, change.newProgramTrackId ?? null, change.effectiveAt],
    );
    if (changed === 0) return;
    await m.query(
      `INSERT INTO ${table('level_history')} (episode_id, effective_at, level_of_care) VALUES ($1, $2, $3)
       ON CONFLICT (episode_id, effective_at) DO UPDATE SET level_of_care = EXCLUDED.level_of_care`,
      [change.episodeId, change.effectiveAt, change.toLevel],
    );
  }

  /** A clinician declined a recommendation: the next of its direction needs newer evidence. */
  async declineRecommendation(m: EntityManager, recommendationId: string, decidedAt: string): Promise<void> {
    await m.query(
      `UPDATE ${table('recommendations')} SET declined_at = $2
        WHERE recommendation_id = $1 AND declined_at IS NULL`,
      [recommendationId, decidedAt],
    );
  }

  /** The episode continues at another site: its site scope, track and level follow it. */
  async transfer(m: EntityManager, moved: ClientTransferredV1Payload): Promise<void> {
    await m.query(
      `UPDATE ${table('episodes')} SET site_id = $2, program_track_id = $3, level_of_care = $4
       WHERE episode_id = $1`,
      [moved.episodeId, moved.siteId, moved.newProgramTrackId, moved.levelOfCare],
    );
  }

  async discharge(m: EntityManager, discharged: ClientDischargedV1Payload): Promise<void> {
    await m.query(
      `UPDATE ${table('episodes')} SET discharged_at = $2, discharge_reason = $3
       WHERE episode_id = $1 AND discharged_at IS NULL`,
      [discharged.episodeId, discharged.dischargedAt, discharged.reason],
    );
  }

  async enroll(m: EntityManager, enrolled: ClientEnrolledV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('enrollments')} (enrollment_id, client_id, episode_id, site_id, program_track_id,
         starts_on, planned_weekly_minutes)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (enrollment_id) DO NOTHING`,
      [
        enrolled.enrollmentId,
        enrolled.clientId,
        enrolled.episodeId,
        enrolled.siteId,
        enrolled.programTrackId,
        enrolled.startsOn,
        enrolled.plannedWeeklyMinutes,
      ],
    );
  }

  async schedule(m: EntityManager, a: AppointmentScheduledV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('session_records')} (appointment_id, occurrence_id, client_id, episode_id, site_id,
         kind, session_type, modality, facilitator_id, starts_at, ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (appointment_id) DO NOTHING`,
      [
        a.appointmentId,
        a.occurrenceId,
        a.clientId,
        a.episodeId,
        a.siteId,
        a.kind,
        a.sessionType,
        a.modality,
        a.facilitatorId,
        a.startsAt,
        a.endsAt,
      ],
    );
  }

  /** Returns whether the appointment is known (scheduling publishes facts about one client in order). */
  async reschedule(m: EntityManager, a: AppointmentRescheduledV1Payload): Promise<boolean> {
    const [, affected] = await m.query<[unknown[], number]>(
      `UPDATE ${table('session_records')} SET occurrence_id = $2, starts_at = $3, ends_at = $4
       WHERE appointment_id = $1 RETURNING appointment_id`,
      [a.appointmentId, a.occurrenceId, a.startsAt, a.endsAt],
    );
    return affected > 0;
  }

  async cancel(m: EntityManager, a: AppointmentCancelledV1Payload): Promise<boolean> {
    const [, affected] = await m.query<[unknown[], number]>(
      `UPDATE ${table('session_records')} SET cancelled_at = COALESCE(cancelled_at, $2), cancel_reason = $3
       WHERE appointment_id = $1 RETURNING appointment_id`,
      [a.appointmentId, a.cancelledAt, a.reason],
    );
    return affected > 0;
  }

  async planSigned(m: EntityManager, plan: TreatmentPlanSignedV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('treatment_plans')} (plan_id, version, episode_id, client_id, goal_ids, signed_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (plan_id, version) DO NOTHING`,
      [plan.planId, plan.version, plan.episodeId, plan.clientId, [...plan.goalIds], plan.signedAt],
    );
  }

  async planReviewed(m: EntityManager, review: TreatmentPlanReviewedV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('plan_reviews')} (plan_id, version, reviewed_at, episode_id, client_id, goals_met,
         goals_total)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (plan_id, version, reviewed_at) DO NOTHING`,
      [
        review.planId,
        review.version,
        review.reviewedAt,
        review.episodeId,
        review.clientId,
        review.goalsMet,
        review.goalsTotal,
      ],
    );
  }

  async assessed(m: EntityManager, a: AssessmentCompletedV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('assessments')} (assessment_id, client_id, episode_id, site_id, dimension_ratings,
         recommended_level, assessed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (assessment_id) DO NOTHING`,
      [
        a.assessmentId,
        a.clientId,
        a.episodeId ?? null,
        a.siteId,
        [...a.dimensionRatings],
        a.recommendedLevel,
        a.assessedAt,
      ],
    );
  }

  /** The client's episodes still open, newest first (an assessment without an episode applies to them). */
  async openEpisodesOf(m: EntityManager, clientId: string): Promise<string[]> {
    const rows = await m.query<{ episode_id: string }[]>(
      `SELECT episode_id FROM ${table('episodes')} WHERE client_id = $1 AND discharged_at IS NULL
       ORDER BY admitted_at DESC`,
      [clientId],
    );
    return rows.map((row) => row.episode_id);
  }
}
