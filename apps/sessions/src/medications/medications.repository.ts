import { Injectable } from '@nestjs/common';
import { type MedicationCode, type SubstanceCode } from '@stepwise/contracts';
import { type MedicationFact } from '@stepwise/care-rules';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';
import { type MedicationView } from './medication.dto';

interface MedicationRow {
  medication_id: string;
  episode_id: string;
  client_id: string;
  site_id: string;
  medication_code: MedicationCode;
  mat: boolean;
  prescriber_id: string;
  starts_on: string;
  stops_on: string | null;
  expected_substances: SubstanceCode[];
}

const COLUMNS = `medication_id, episode_id, client_id, site_id, medication_code, mat, prescriber_id,
  to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(stops_on, 'YYYY-MM-DD') AS stops_on, expected_substances`;

const view = (r: MedicationRow): MedicationView => ({
  medicationId: r.medication_id,
  episodeId: r.episode_id,
  clientId: r.client_id,
  siteId: r.site_id,
  medicationCode: r.medication_code,
  mat: r.mat,
  prescriberId: r.prescriber_id,
  startsOn: r.starts_on,
  stopsOn: r.stops_on,
  expectedSubstances: r.expected_substances,
});

/** All SQL of an episode's medication list. */
@Injectable()
export class MedicationsRepository {
  async insert(
    m: EntityManager,
    medication: Omit<MedicationView, 'stopsOn'> & { recordedBy: string; recordedAt: Date },
  ): Promise<MedicationView> {
    const [row] = await m.query<MedicationRow[]>(
      `INSERT INTO ${table('medications')} (medication_id, episode_id, client_id, site_id, medication_code, mat,
         prescriber_id, starts_on, expected_substances, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        medication.medicationId,
        medication.episodeId,
        medication.clientId,
        medication.siteId,
        medication.medicationCode,
        medication.mat,
        medication.prescriberId,
        medication.startsOn,
        medication.expectedSubstances,
        medication.recordedBy,
        medication.recordedAt,
      ],
    );
    if (row === undefined) throw new Error('medication insert returned nothing');
    return view(row);
  }

  /** The medication, locked until the transaction ends. */
  async lock(m: EntityManager, medicationId: string): Promise<MedicationView | undefined> {
    const [row] = await m.query<MedicationRow[]>(
      `SELECT ${COLUMNS} FROM ${table('medications')} WHERE medication_id = $1 FOR UPDATE`,
      [medicationId],
    );
    return row === undefined ? undefined : view(row);
  }

  async stop(
    m: EntityManager,
    medicationId: string,
    stop: { stopsOn: string; stoppedBy: string; stoppedAt: Date },
  ): Promise<MedicationView> {
    const [[row]] = await m.query<[MedicationRow[], number]>(
      `UPDATE ${table('medications')} SET stops_on = $2, stopped_by = $3, stopped_at = $4
        WHERE medication_id = $1 RETURNING ${COLUMNS}`,
      [medicationId, stop.stopsOn, stop.stoppedBy, stop.stoppedAt],
    );
    if (row === undefined) throw new Error('medication update returned nothing');
    return view(row);
  }

  async ofEpisode(m: EntityManager, episodeId: string): Promise<MedicationView[]> {
    const rows = await m.query<MedicationRow[]>(
      `SELECT ${COLUMNS} FROM ${table('medications')} WHERE episode_id = $1 ORDER BY starts_on, medication_id`,
      [episodeId],
    );
    return rows.map(view);
  }

  /** The episode's medications as the screen interpretation reads them. */
  async facts(m: EntityManager, episodeId: string): Promise<MedicationFact[]> {
    return (await this.ofEpisode(m, episodeId)).map((med) => ({
      medicationId: med.medicationId,
      medicationCode: med.medicationCode,
      mat: med.mat,
      startsOn: med.startsOn,
      stopsOn: med.stopsOn,
      expectedSubstances: med.expectedSubstances,
    }));
  }
}
