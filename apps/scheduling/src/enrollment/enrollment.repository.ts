import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type LevelOfCare, type Population } from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import { table } from '../scheduling.schema';
import { ENROLLMENT_COLUMNS, type EnrollmentRow } from '../schedule/schedule.rows';
import { type WeeklyPatternSlot } from './individual-slot';

/** A program track as enrolling needs it. */
export interface EnrollmentTrack {
  id: string;
  site_id: string;
  modality: string;
  weekly_pattern: WeeklyPatternSlot[];
  active: boolean;
}

export interface NewEnrollmentRow {
  readonly episodeId: string;
  readonly clientId: string;
  readonly siteId: string;
  readonly programTrackId: string;
  readonly levelOfCare: LevelOfCare;
  readonly population: Population;
  readonly primaryCounselorId: string;
  readonly startsOn: string;
}

/** The SQL of enrollments themselves (seats and appointments are `Seating`'s and the generator's). */
@Injectable()
export class EnrollmentRepository {
  /** Whether the episode was ever enrolled (an admission is applied once). */
  async hasEnrollment(manager: EntityManager, episodeId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM ${table('enrollments')} WHERE episode_id = $1 LIMIT 1`,
      [episodeId],
    );
    return rows.length > 0;
  }

  /** The episode's active enrollment, locked. */
  async lockActive(manager: EntityManager, episodeId: string): Promise<EnrollmentRow | undefined> {
    const [row] = await manager.query<EnrollmentRow[]>(
      `SELECT ${ENROLLMENT_COLUMNS} FROM ${table('enrollments')} WHERE episode_id = $1 AND status = 'active' FOR UPDATE`,
      [episodeId],
    );
    return row;
  }

  async setLevel(manager: EntityManager, enrollmentId: string, level: LevelOfCare): Promise<void> {
    await manager.query(`UPDATE ${table('enrollments')} SET level_of_care = $2 WHERE id = $1`, [
      enrollmentId,
      level,
    ]);
  }

  /** Ends an enrollment: `moved` to another track or `discharged`. */
  async end(
    manager: EntityManager,
    enrollmentId: string,
    status: 'moved' | 'discharged',
    at: Date,
  ): Promise<void> {
    await manager.query(`UPDATE ${table('enrollments')} SET status = $3, ended_at = $2 WHERE id = $1`, [
      enrollmentId,
      at.toISOString(),
      status,
    ]);
  }

  async track(manager: EntityManager, trackId: string): Promise<EnrollmentTrack | undefined> {
    const [track] = await manager.query<EnrollmentTrack[]>(
      `SELECT id, site_id, modality, weekly_pattern, active FROM ${table('program_tracks')} WHERE id = $1`,
      [trackId],
    );
    return track;
  }

  async insert(manager: EntityManager, e: NewEnrollmentRow): Promise<EnrollmentRow> {
    const [enrollment] = await manager.query<EnrollmentRow[]>(
      `INSERT INTO ${table('enrollments')}
         (id, episode_id, client_id, site_id, program_track_id, level_of_care, population, primary_counselor_id,
          starts_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${ENROLLMENT_COLUMNS}`,
      [
        randomUUID(),
        e.episodeId,
        e.clientId,
        e.siteId,
        e.programTrackId,
        e.levelOfCare,
        e.population,
        e.primaryCounselorId,
        e.startsOn,
      ],
    );
    if (enrollment === undefined) throw new Error('enrollment insert returned nothing');
    return enrollment;
  }
}
