import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

interface SeededDefinition {
  readonly code: string;
  readonly version: number;
  readonly instrument: string;
  readonly bands: readonly { band: string; minScore: number }[];
  readonly severeBands: readonly string[];
  readonly isDefault: boolean;
  readonly source: string;
}

/**
 * The published band definitions, as first seeded. Frozen with this migration: a changed definition is a
 * new version in a new migration (or loaded by a provider), never an edit here — stored screenings name the
 * definition and version that produced their band.
 */
export const SEEDED_BAND_DEFINITIONS: readonly SeededDefinition[] = [
  {
    code: 'phq-9.kroenke-2001',
    version: 1,
    instrument: 'phq-9',
    bands: [
      { band: 'minimal', minScore: 0 },
      { band: 'mild', minScore: 5 },
      { band: 'moderate', minScore: 10 },
      { band: 'moderately-severe', minScore: 15 },
      { band: 'severe', minScore: 20 },
    ],
    severeBands: [],
    isDefault: true,
    source: 'Kroenke, Spitzer, Williams 2001',
  },
  {
    code: 'gad-7.spitzer-2006',
    version: 1,
    instrument: 'gad-7',
    bands: [
      { band: 'minimal', minScore: 0 },
      { band: 'mild', minScore: 5 },
      { band: 'moderate', minScore: 10 },
      { band: 'severe', minScore: 15 },
    ],
    severeBands: [],
    isDefault: true,
    source: 'Spitzer et al. 2006',
  },
  {
    code: 'audit.who-2001',
    version: 1,
    instrument: 'audit',
    bands: [
      { band: 'zone-i', minScore: 0 },
      { band: 'zone-ii', minScore: 8 },
      { band: 'zone-iii', minScore: 16 },
      { band: 'zone-iv', minScore: 20 },
    ],
    severeBands: [],
    isDefault: true,
    source: 'WHO AUDIT manual, 2nd edition (2001)',
  },
  {
    code: 'dast-10.skinner-1982',
    version: 1,
    instrument: 'dast-10',
    bands: [
      { band: 'none', minScore: 0 },
      { band: 'low', minScore: 1 },
      { band: 'moderate', minScore: 3 },
      { band: 'substantial', minScore: 6 },
      { band: 'severe', minScore: 9 },
    ],
    severeBands: [],
    isDefault: true,
    source: 'Skinner 1982',
  },
  {
    code: 'cows.wesson-2003',
    version: 1,
    instrument: 'cows',
    bands: [
      { band: 'none', minScore: 0 },
      { band: 'mild', minScore: 5 },
      { band: 'moderate', minScore: 13 },
      { band: 'moderately-severe', minScore: 25 },
      { band: 'severe', minScore: 37 },
    ],
    severeBands: ['severe'],
    isDefault: true,
    source: 'Wesson and Ling 2003',
  },
  {
    code: 'ciwa-ar.sullivan-1989',
    version: 1,
    instrument: 'ciwa-ar',
    bands: [
      { band: 'minimal', minScore: 0 },
      { band: 'moderate', minScore: 8 },
      { band: 'severe', minScore: 16 },
    ],
    severeBands: ['severe'],
    isDefault: true,
    source: 'Sullivan et al. 1989 (<8 / 8-15 / >15)',
  },
  {
    code: 'ciwa-ar.mild-10-19',
    version: 1,
    instrument: 'ciwa-ar',
    bands: [
      { band: 'mild', minScore: 0 },
      { band: 'moderate', minScore: 10 },
      { band: 'severe', minScore: 19 },
    ],
    severeBands: ['severe'],
    isDefault: false,
    source: 'Common protocol thresholds (<10 / 10-18 / >=19)',
  },
];

export class CreateScreenings1764000100000 implements MigrationInterface {
  name = 'CreateScreenings1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.screening_band_definitions (
        code          text        NOT NULL,
        version       integer     NOT NULL,
        instrument    text        NOT NULL,
        bands         jsonb       NOT NULL,
        severe_bands  text[]      NOT NULL,
        is_default    boolean     NOT NULL,
        source        text        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (code, version)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX band_definitions_default_idx ON ${S}.screening_band_definitions (instrument) WHERE is_default`,
    );
    for (const d of SEEDED_BAND_DEFINITIONS) {
      await queryRunner.query(
        `INSERT INTO ${S}.screening_band_definitions (code, version, instrument, bands, severe_bands, is_default, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [d.code, d.version, d.instrument, JSON.stringify(d.bands), d.severeBands, d.isDefault, d.source],
      );
    }
    await queryRunner.query(`
      CREATE TABLE ${S}.screenings (
        id                        uuid        PRIMARY KEY,
        client_id                 uuid        NOT NULL REFERENCES ${S}.clients (id),
        site_id                   uuid        NOT NULL,
        network_id                uuid,
        instrument                text        NOT NULL,
        instrument_version        text        NOT NULL,
        answers                   smallint[]  NOT NULL,
        total_score               integer     NOT NULL,
        band                      text        NOT NULL,
        band_definition_version   text        NOT NULL,
        urgent_flags              text[]      NOT NULL,
        completed_at              timestamptz NOT NULL,
        administered_by           text        NOT NULL,
        created_at                timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `CREATE INDEX screenings_client_idx ON ${S}.screenings (client_id, created_at, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}.screenings`);
    await queryRunner.query(`DROP TABLE ${S}.screening_band_definitions`);
  }
}
