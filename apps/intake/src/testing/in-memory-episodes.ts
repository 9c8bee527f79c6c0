import {
  type Discharge,
  EPISODE,
  type EpisodeRow,
  type EpisodesRepository,
  type HistoryRow,
  type LevelChange,
  type NewEpisode,
  type StoredEpisode,
} from '../episodes/episodes.repository';
import { type LevelOfCare } from '@stepwise/contracts';
import { InMemoryRows } from './in-memory-rows';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** Episodes, their level history and what admission and discharge touch elsewhere, in memory. */
export class InMemoryEpisodes extends InMemoryRows<EpisodeRow> implements PublicOf<EpisodesRepository> {
  private readonly histories = new Map<string, HistoryRow[]>();
  /** Where each admitted client's record was moved: client id → site. */
  readonly clientSites = new Map<string, string>();
  /** Episodes whose open reviews were declined, with the instant. */
  readonly declinedReviews: { episodeId: string; at: Date }[] = [];

  /** Episodes are seeded as admission would have stored them, with no history. */
  constructor(tables: InMemoryTables) {
    super(tables, EPISODE);
  }

  async ofClient(_manager: unknown, clientId: string): Promise<EpisodeRow[]> {
    return this.rows()
      .filter((row) => row.client_id === clientId)
      .sort((a, b) => a.admitted_at.getTime() - b.admitted_at.getTime());
  }

  async active(_manager: unknown, clientId: string): Promise<EpisodeRow | undefined> {
    return this.rows().find((row) => row.client_id === clientId && row.status === 'active');
  }

  async find(id: string): Promise<StoredEpisode | undefined> {
    const row = this.row(id);
    return row === undefined ? undefined : { row: { ...row }, history: [...(this.histories.get(id) ?? [])] };
  }

  async insert(_manager: unknown, episode: NewEpisode): Promise<void> {
    this.seed({
      id: episode.id,
      client_id: episode.clientId,
      site_id: episode.siteId,
      network_id: episode.networkId,
      program_track_id: episode.programTrackId,
      population: episode.population,
      clinical_level: episode.levelOfCare,
      authorized_level: null,
      primary_counselor_id: episode.primaryCounselorId,
      admitted_on: episode.admittedOn,
      admitted_at: episode.admittedAt,
      status: 'active',
      discharged_at: null,
      discharge_reason: null,
      referred_to: null,
    });
  }

  async moveClient(_manager: unknown, clientId: string, siteId: string): Promise<void> {
    this.clientSites.set(clientId, siteId);
  }

  async discharge(_manager: unknown, id: string, discharge: Discharge): Promise<void> {
    this.change(id, {
      status: 'discharged',
      discharged_at: discharge.dischargedAt,
      discharge_reason: discharge.reason,
      referred_to: discharge.referredTo,
    });
  }

  async declineOpenReviews(_manager: unknown, episodeId: string, at: Date): Promise<void> {
    this.declinedReviews.push({ episodeId, at });
  }

  async moveToSite(_manager: unknown, id: string, siteId: string, networkId: string): Promise<void> {
    this.change(id, { site_id: siteId, network_id: networkId });
  }

  async setAuthorizedLevel(_manager: unknown, id: string, level: LevelOfCare): Promise<void> {
    this.change(id, { authorized_level: level });
  }

  async setClinicalLevel(
    _manager: unknown,
    id: string,
    level: LevelOfCare,
    programTrackId: string,
  ): Promise<void> {
    this.change(id, { clinical_level: level, program_track_id: programTrackId });
  }

  async addHistory(_manager: unknown, episodeId: string, entry: LevelChange): Promise<void> {
    const history = this.histories.get(episodeId) ?? [];
    history.push({
      kind: entry.kind,
      from_level: entry.fromLevel,
      to_level: entry.toLevel,
      effective_at: entry.effectiveAt,
      reason_code: entry.reasonCode,
      decided_by: entry.decidedBy,
      recommendation_id: entry.recommendationId ?? null,
      program_track_id: entry.programTrackId ?? null,
      authorization_id: entry.authorization?.authorizationId ?? null,
      payer_code: entry.authorization?.payerCode ?? null,
      authorization_number: entry.authorization?.authorizationNumber ?? null,
      authorized_units: entry.authorization?.units ?? null,
      authorized_from: entry.authorization?.startsOn ?? null,
      authorized_to: entry.authorization?.endsOn ?? null,
    });
    this.histories.set(episodeId, history);
  }
}
