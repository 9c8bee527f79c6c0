import { ProblemException } from '@stepwise/security';
import { iso } from '../shared/staff';
import { type EpisodeView, type LevelChangeView } from './episode.dto';
import { type StoredEpisode } from './episodes.repository';

/** The episode as the API shows it, with its level history; 404 when there is none. */
export function episodeView(stored: StoredEpisode | undefined): EpisodeView {
  if (stored === undefined) throw new ProblemException('not-found', { detail: 'No such episode' });
  const { row, history } = stored;
  return {
    id: row.id,
    clientId: row.client_id,
    siteId: row.site_id,
    programTrackId: row.program_track_id,
    population: row.population,
    clinicalLevel: row.clinical_level,
    authorizedLevel: row.authorized_level,
    primaryCounselorId: row.primary_counselor_id,
    admittedOn: row.admitted_on,
    admittedAt: row.admitted_at.toISOString(),
    status: row.status,
    dischargedAt: iso(row.discharged_at),
    dischargeReason: row.discharge_reason,
    referredTo: row.referred_to ?? [],
    levelHistory: history.map((h): LevelChangeView => ({
      kind: h.kind,
      fromLevel: h.from_level,
      toLevel: h.to_level,
      effectiveAt: h.effective_at.toISOString(),
      reasonCode: h.reason_code,
      decidedBy: h.decided_by,
      recommendationId: h.recommendation_id,
      programTrackId: h.program_track_id,
      authorizationId: h.authorization_id,
      payerCode: h.payer_code,
      authorizationNumber: h.authorization_number,
      units: h.authorized_units,
      startsOn: h.authorized_from,
      endsOn: h.authorized_to,
    })),
  };
}
