import { Injectable } from '@nestjs/common';
import { type ScreeningBand, type ScreeningInstrument, type UrgentFlag } from '@stepwise/contracts';
import { type Page, type PageQuery, type RecordKind } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { readPage } from '../shared/pages';
import { type BandDefinition } from './band-definitions';

export interface ScreeningRow {
  id: string;
  client_id: string;
  site_id: string;
  network_id: string | null;
  instrument: ScreeningInstrument;
  instrument_version: string;
  answers: number[];
  total_score: number;
  band: ScreeningBand;
  band_definition_version: string;
  urgent_flags: UrgentFlag[];
  completed_at: Date;
}

/** A scored and banded screening of a client, at the client's site. */
export interface NewScreening {
  readonly id: string;
  readonly clientId: string;
  readonly siteId: string;
  readonly networkId: string | null;
  readonly instrument: ScreeningInstrument;
  readonly instrumentVersion: string;
  readonly answers: number[];
  readonly totalScore: number;
  readonly band: ScreeningBand;
  readonly bandDefinitionVersion: string;
  readonly urgentFlags: UrgentFlag[];
  readonly completedAt: Date;
  readonly administeredBy: string;
}

const COLUMNS = `id, client_id, site_id, network_id, instrument, instrument_version, answers, total_score, band,
  band_definition_version, urgent_flags, completed_at`;

export const SCREENING: RecordKind<ScreeningRow> = {
  table: 'intake.screenings',
  columns: COLUMNS,
  resourceType: 'screening',
  clientIdOf: (row) => row.client_id,
};

/** All SQL of screenings and their stored band definitions. */
@Injectable()
export class ScreeningsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The instrument's band definition by `code@version`, or its default when none is requested. */
  async bandDefinition(
    manager: EntityManager,
    instrument: ScreeningInstrument,
    requested: string | undefined,
  ): Promise<BandDefinition | undefined> {
    const [code, version] = requested?.split('@') ?? [];
    const [row] = await manager.query<
      { code: string; version: number; bands: BandDefinition['bands']; severe_bands: ScreeningBand[] }[]
    >(
      requested === undefined
        ? `SELECT code, version, bands, severe_bands FROM intake.screening_band_definitions
            WHERE instrument = $1 AND is_default`
        : `SELECT code, version, bands, severe_bands FROM intake.screening_band_definitions
            WHERE instrument = $1 AND code = $2 AND version = $3`,
      requested === undefined ? [instrument] : [instrument, code, Number(version)],
    );
    return row === undefined
      ? undefined
      : { code: row.code, version: row.version, instrument, bands: row.bands, severeBands: row.severe_bands };
  }

  async insert(manager: EntityManager, screening: NewScreening): Promise<ScreeningRow> {
    const [row] = await manager.query<ScreeningRow[]>(
      `INSERT INTO intake.screenings (id, client_id, site_id, network_id, instrument, instrument_version, answers,
         total_score, band, band_definition_version, urgent_flags, completed_at, administered_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
      [
        screening.id,
        screening.clientId,
        screening.siteId,
        screening.networkId,
        screening.instrument,
        screening.instrumentVersion,
        screening.answers,
        screening.totalScore,
        screening.band,
        screening.bandDefinitionVersion,
        screening.urgentFlags,
        screening.completedAt,
        screening.administeredBy,
      ],
    );
    if (row === undefined) throw new Error('insert returned nothing');
    return row;
  }

  /** One page of the client's screenings, oldest first. */
  page<T>(clientId: string, query: PageQuery, view: (row: ScreeningRow) => T): Promise<Page<T>> {
    return readPage(this.dataSource.manager, query, {
      table: SCREENING.table,
      columns: SCREENING.columns,
      where: ['client_id = $1'],
      params: [clientId],
      view,
    });
  }
}
