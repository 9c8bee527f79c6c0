import { type ScreeningView } from './screening.dto';
import { type ScreeningRow } from './screenings.repository';

/** The screening as the API shows it. */
export const screeningView = (row: ScreeningRow): ScreeningView => ({
  id: row.id,
  clientId: row.client_id,
  instrument: row.instrument,
  instrumentVersion: row.instrument_version,
  answers: row.answers,
  totalScore: row.total_score,
  band: row.band,
  bandDefinitionVersion: row.band_definition_version,
  urgentFlags: row.urgent_flags,
  completedAt: row.completed_at.toISOString(),
});
