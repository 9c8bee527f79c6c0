import { type ScreeningInstrument } from '@stepwise/contracts';
import { type Page, type PageQuery } from '@stepwise/security';
import { type BandDefinition, versionOf } from '../screenings/band-definitions';
import {
  type NewScreening,
  SCREENING,
  type ScreeningRow,
  type ScreeningsRepository,
} from '../screenings/screenings.repository';
import { InMemoryRows } from './in-memory-rows';
import { type InMemoryTables } from './in-memory-tables';
import { type StoredBandDefinition } from './screening-factories';
import { type PublicOf } from './stand-in';

/** Screenings and the stored band definitions they are banded by, in memory. */
export class InMemoryScreenings extends InMemoryRows<ScreeningRow> implements PublicOf<ScreeningsRepository> {
  private readonly definitions: StoredBandDefinition[] = [];
  /** Who administered each screening (stored, never shown): screening id → staff id. */
  readonly administeredBy = new Map<string, string>();

  constructor(tables: InMemoryTables) {
    super(tables, SCREENING);
  }

  /** Stores band definitions as the migration seeds them (or a provider adds its own). */
  seedDefinitions(definitions: readonly StoredBandDefinition[]): void {
    this.definitions.push(...definitions);
  }

  async bandDefinition(
    _manager: unknown,
    instrument: ScreeningInstrument,
    requested: string | undefined,
  ): Promise<BandDefinition | undefined> {
    const stored = this.definitions.find(
      (definition) =>
        definition.instrument === instrument &&
        (requested === undefined ? definition.isDefault : versionOf(definition) === requested),
    );
    return stored === undefined
      ? undefined
      : {
          code: stored.code,
          version: stored.version,
          instrument,
          bands: stored.bands,
          severeBands: stored.severeBands,
        };
  }

  async insert(_manager: unknown, screening: NewScreening): Promise<ScreeningRow> {
    this.administeredBy.set(screening.id, screening.administeredBy);
    return this.seed({
      id: screening.id,
      client_id: screening.clientId,
      site_id: screening.siteId,
      network_id: screening.networkId,
      instrument: screening.instrument,
      instrument_version: screening.instrumentVersion,
      answers: screening.answers,
      total_score: screening.totalScore,
      band: screening.band,
      band_definition_version: screening.bandDefinitionVersion,
      urgent_flags: screening.urgentFlags,
      completed_at: screening.completedAt,
    });
  }

  async page<T>(clientId: string, _query: PageQuery, view: (row: ScreeningRow) => T): Promise<Page<T>> {
    return this.onePage((row) => row.client_id === clientId, view);
  }
}
