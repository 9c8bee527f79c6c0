import { Injectable } from '@nestjs/common';
import { type RecordKind } from '@stepwise/security';
import { DataSource } from 'typeorm';
import { table } from '../sessions.tables';

/** An attended session as an Encounter needs it: the attendance record and its session. */
export interface EncounterRow {
  id: string;
  site_id: string;
  network_id: string | null;
  client_id: string;
  appointment_id: string;
  episode_id: string;
  outcome: string;
  minutes_attended: number;
  modality: string;
  starts_at: Date;
  ends_at: Date;
}

/** Only attended sessions are encounters; missed ones stay on the Appointment (scheduling). */
const ATTENDED = `a.outcome IN ('present', 'late', 'left-early')`;

const ENCOUNTERS = `(SELECT a.attendance_id AS id, a.site_id, s.network_id, a.client_id, a.appointment_id,
      a.episode_id, a.outcome, a.minutes_attended, r.modality, r.starts_at, r.ends_at
    FROM ${table('attendance')} a
    JOIN ${table('session_records')} r ON r.appointment_id = a.appointment_id
    LEFT JOIN ${table('sites')} s ON s.site_id = a.site_id
   WHERE ${ATTENDED}) AS encounter`;

/** An attended session as `ScopedRecords` loads it, by its attendance id (the Encounter's id). */
export const ENCOUNTER: RecordKind<EncounterRow> = {
  table: ENCOUNTERS,
  columns: '*',
  resourceType: 'encounter',
  clientIdOf: (row) => row.client_id,
};

/** The SQL of the FHIR Encounter view. */
@Injectable()
export class EncountersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A client's attended sessions at the sites of a network, the newest `limit` by start (the FHIR search). */
  ofClientInNetwork(clientId: string, networkId: string, limit: number): Promise<EncounterRow[]> {
    return this.dataSource.query<EncounterRow[]>(
      `SELECT * FROM ${ENCOUNTERS} WHERE client_id = $1 AND network_id = $2
        ORDER BY starts_at DESC, id DESC LIMIT $3`,
      [clientId, networkId, limit],
    );
  }
}
