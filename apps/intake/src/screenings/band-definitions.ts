import { type ScreeningBand, type ScreeningInstrument } from '@stepwise/contracts';

/** A band starts at its lower bound and runs to the next band's. */
export interface BandBound {
  readonly band: ScreeningBand;
  readonly minScore: number;
}

/**
 * A band definition as stored (table `screening_band_definitions`, seeded by migration; providers add
 * their own versions). Its `code@version` travels in ScreeningCompleted.bandDefinitionVersion.
 */
export interface BandDefinition {
  readonly code: string;
  readonly version: number;
  readonly instrument: ScreeningInstrument;
  /** Ascending lower bounds; the first is 0. */
  readonly bands: readonly BandBound[];
  /** Bands in which a withdrawal scale raises the severe-withdrawal flag. */
  readonly severeBands: readonly ScreeningBand[];
}

export const versionOf = (definition: Pick<BandDefinition, 'code' | 'version'>): string =>
  `${definition.code}@${definition.version}`;

/** The band of a total: the last band whose lower bound the total reaches. */
export function bandOf(definition: BandDefinition, total: number): ScreeningBand {
  let found = definition.bands[0];
  for (const bound of definition.bands) if (total >= bound.minScore) found = bound;
  if (found === undefined) throw new Error(`Band definition ${versionOf(definition)} has no bands`);
  return found.band;
}
