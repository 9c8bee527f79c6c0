import { randomUUID } from 'node:crypto';
import { ScreeningBand, ScreeningInstrument } from '@stepwise/contracts';
import { SEEDED_BAND_DEFINITIONS } from '../migrations/1764000100000-create-screenings';
import { type BandDefinition } from '../screenings/band-definitions';
import { type ScreeningRow } from '../screenings/screenings.repository';
import { NETWORK, SITE_A } from './factories';

/** A band definition as stored: whether it is its instrument's default besides. */
export type StoredBandDefinition = BandDefinition & { readonly isDefault: boolean };

/** The band definitions the migration seeds (the instruments' defaults and CIWA-Ar's mild-10-19). */
export function theSeededBandDefinitions(): readonly StoredBandDefinition[] {
  // The migration keeps its own copy of the data with plain strings, so that it never imports live code.
  return SEEDED_BAND_DEFINITIONS as unknown as readonly StoredBandDefinition[];
}

/** A PHQ-9 screening of a client at site A, minimal, completed 2026-03-09. */
export function aScreeningRow(overrides: Partial<ScreeningRow> = {}): ScreeningRow {
  return {
    id: randomUUID(),
    client_id: randomUUID(),
    site_id: SITE_A,
    network_id: NETWORK,
    instrument: ScreeningInstrument.Phq9,
    instrument_version: 'phq-9@1',
    answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    total_score: 0,
    band: ScreeningBand.Minimal,
    band_definition_version: 'phq-9.kroenke-2001@1',
    urgent_flags: [],
    completed_at: new Date('2026-03-09T12:00:00Z'),
    ...overrides,
  };
}
