import { iso } from '../shared/staff';
import { type ReviewView } from './review.dto';
import { type ReviewRow } from './reviews.repository';

/** The review as the clinician queue shows it. */
export const reviewView = (row: ReviewRow): ReviewView => ({
  id: row.id,
  recommendationId: row.recommendation_id,
  direction: row.direction,
  clientId: row.client_id,
  episodeId: row.episode_id,
  siteId: row.site_id,
  fromLevel: row.from_level,
  toLevel: row.to_level,
  evidence: row.evidence,
  ruleSetVersion: row.rule_set_version,
  recommendedAt: row.recommended_at.toISOString(),
  status: row.status,
  decidedBy: row.decided_by,
  decidedAt: iso(row.decided_at),
  declineReason: row.decline_reason,
  programTrackId: row.program_track_id,
});
