
/** Whom an episode's events are about: the fields every episode event starts with. */
export function episodeSubject(row: EpisodeRow): { episodeId: string; clientId: string; siteId: string } {
  return { episodeId: row.id, clientId: row.client_id, siteId: row.site_id };
}
