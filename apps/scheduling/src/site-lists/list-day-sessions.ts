import { Injectable } from '@nestjs/common';
import { isInstant, isUuid } from '@stepwise/contracts';
import {
  type Actor,
  type Page,
  ProblemException,
  ScopedRecords,
  decodeCursor,
  pageLimit,
  toPage,
} from '@stepwise/security';
import { ROSTER_RECORD } from '../appointments/appointments.repository';
import { type DayQuery, type DaySessionItem, type RosterItem } from './site-lists.dto';
import { SiteListsRepository } from './site-lists.repository';

/**
 * A site's sessions of one local day, each with its roster: the "today" screen in one read. Who is booked is
 * client data, so each session's roster read is audited as a roster read (as `GET …/roster` is).
 */
@Injectable()
export class ListDaySessions {
  constructor(
    private readonly repository: SiteListsRepository,
    private readonly records: ScopedRecords,
  ) {}

  async execute(actor: Actor, siteId: string, query: DayQuery): Promise<Page<DaySessionItem>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
    if (after !== undefined && !(isInstant(String(after[0])) && isUuid(String(after[1])))) {
      throw new ProblemException('invalid-cursor');
    }
    const limit = pageLimit(query);
    const rows = await this.repository.daySessions(
      { siteId, limit, after: after === undefined ? undefined : [String(after[0]), String(after[1])] },
      query.date,
    );
    const page = rows.slice(0, limit);
    const rosters = new Map<string, RosterItem[]>();
    for (const entry of await this.repository.rosters(page.map((r) => r.id))) {
      const roster = rosters.get(entry.occurrence_id) ?? [];
      roster.push({
        appointmentId: entry.appointment_id,
        clientId: entry.client_id,
        episodeId: entry.episode_id,
      });
      rosters.set(entry.occurrence_id, roster);
    }
    for (const row of page) {
      await this.records.audited(actor, 'read', ROSTER_RECORD, { id: row.id, siteId, clientId: null });
    }
    return toPage(
      rows,
      limit,
      (r) => [r.key, r.id],
      (r) => ({
        id: r.id,
        seriesId: r.series_id,
        programTrackId: r.program_track_id,
        kind: r.kind,
        sessionType: r.session_type,
        modality: r.modality,
        room: r.room,
        videoLink: r.video_link,
        facilitatorId: r.facilitator_id,
        facilitatorName: r.facilitator_name,
        localDate: r.local_date,
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        status: r.status,
        roster: rosters.get(r.id) ?? [],
      }),
    );
  }
}
