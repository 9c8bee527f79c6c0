import { type DiagnosisRevisionView, type EpisodeDiagnosesView } from './diagnosis.dto';
import { type DiagnosisRow } from './diagnoses.repository';

export function diagnosesView(episodeId: string, rows: readonly DiagnosisRow[]): EpisodeDiagnosesView {
  const history = rows.map((row): DiagnosisRevisionView => ({
    revision: row.revision,
    diagnosisCodes: [...row.diagnosis_codes],
    effectiveOn: row.effective_on,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at.toISOString(),
  }));
  return { episodeId, current: history.at(-1) ?? null, history };
}
