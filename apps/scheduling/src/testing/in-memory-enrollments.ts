import { randomUUID } from 'node:crypto';
import {
  type CareEvent,
  decodeEvent,
  encodeEvent,
  type EventPayload,
  type EventTypeName,
  type LevelOfCare,
  examplePayload,
} from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import {
  type EnrollmentRepository,
  type EnrollmentTrack,
  type NewEnrollmentRow,
} from '../enrollment/enrollment.repository';
import { type EnrollmentRow } from '../schedule/schedule.rows';
import { type PublicOf } from './in-memory-appointments';

/** Enrollments and tracks in memory, with the repository's semantics. */
export class InMemoryEnrollments implements PublicOf<EnrollmentRepository> {
  readonly rows: (EnrollmentRow & { ended_at?: string })[] = [];
  readonly tracks = new Map<string, EnrollmentTrack>();

  hasEnrollment(_manager: EntityManager, episodeId: string): Promise<boolean> {
    return Promise.resolve(this.rows.some((r) => r.episode_id === episodeId));
  }

  lockActive(_manager: EntityManager, episodeId: string): Promise<EnrollmentRow | undefined> {
    return Promise.resolve(this.rows.find((r) => r.episode_id === episodeId && r.status === 'active'));
  }

  setLevel(_manager: EntityManager, enrollmentId: string, level: LevelOfCare): Promise<void> {
    this.replace(enrollmentId, { level_of_care: level });
    return Promise.resolve();
  }

  end(
    _manager: EntityManager,
    enrollmentId: string,
    status: 'moved' | 'discharged',
    at: Date,
  ): Promise<void> {
    this.replace(enrollmentId, { status, ended_at: at.toISOString() });
    return Promise.resolve();
  }

  track(_manager: EntityManager, trackId: string): Promise<EnrollmentTrack | undefined> {
    return Promise.resolve(this.tracks.get(trackId));
  }

  insert(_manager: EntityManager, e: NewEnrollmentRow): Promise<EnrollmentRow> {
    const row: EnrollmentRow = {
      id: randomUUID(),
      episode_id: e.episodeId,
      client_id: e.clientId,
      site_id: e.siteId,
      program_track_id: e.programTrackId,
      level_of_care: e.levelOfCare,
      population: e.population,
      primary_counselor_id: e.primaryCounselorId,
      starts_on: e.startsOn,
      status: 'active',
    };
    this.rows.push(row);
    return Promise.resolve(row);
  }

  asRepository(): EnrollmentRepository {
    return this as unknown as EnrollmentRepository;
  }

  private replace(id: string, change: Partial<EnrollmentRow & { ended_at: string }>): void {
    const index = this.rows.findIndex((r) => r.id === id);
    const row = this.rows[index];
    if (row !== undefined) this.rows[index] = { ...row, ...change };
  }
}

/**
 * A care event as the consumer hands it to a handler: the contract's example payload with overrides, through
 * the real envelope (encoded and decoded), so ids, correlation and validation are the contract's own.
 */
export function careEvent<T extends EventTypeName>(
  type: T,
  overrides: Partial<EventPayload<T>>,
): CareEvent<T> {
  // The example is a complete payload of the type; the overrides are fields of the same type.
  const payload = { ...examplePayload(type), ...overrides } as EventPayload<T>;
  // decodeEvent answers the union of all events; this one was encoded as `type`.
  return decodeEvent(encodeEvent(type, payload)) as CareEvent<T>;
}
