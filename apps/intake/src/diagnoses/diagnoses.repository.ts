import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface DiagnosisRow {
  revision: number;
  diagnosis_codes: string[];
  effective_on: string;
  recorded_by: string;
  recorded_at: Date;
}

/** All SQL of episode diagnoses: revisions, appended and never changed. */
@Injectable()
export class DiagnosesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every revision of the episode, oldest first. */
  history(episodeId: string, manager: EntityManager = this.dataSource.manager): Promise<DiagnosisRow[]> {
    return manager.query<DiagnosisRow[]>(
      `SELECT revision, diagnosis_codes, to_char(effective_on, 'YYYY-MM-DD') AS effective_on, recorded_by,
              recorded_at
         FROM intake.episode_diagnoses WHERE episode_id = $1 ORDER BY revision`,
      [episodeId],
    );
  }

  async add(manager: EntityManager, episodeId: string, row: DiagnosisRow): Promise<void> {
    await manager.query(
      `INSERT INTO intake.episode_diagnoses (episode_id, revision, diagnosis_codes, effective_on, recorded_by,
         recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [episodeId, row.revision, row.diagnosis_codes, row.effective_on, row.recorded_by, row.recorded_at],
    );
  }
}
