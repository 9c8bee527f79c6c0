import { Injectable } from '@nestjs/common';
import { isUuid } from '@stepwise/contracts';
import { type Page, ProblemException, decodeCursor, pageLimit, toPage } from '@stepwise/security';
import {
  type ActiveListQuery,
  type SeriesItem,
  type StaffDirectoryItem,
  type TrackItem,
} from './site-lists.dto';
import { seriesView } from '../series/series.views';
import { type SitePage, SiteListsRepository } from './site-lists.repository';

/** The query as a page keyed by id: the cursor decoded and checked, the active filter parsed. */
export function idPage(siteId: string, query: ActiveListQuery): SitePage<string> {
  const after = query.cursor === undefined ? undefined : String(decodeCursor(query.cursor, 1)[0]);
  if (after !== undefined && !isUuid(after)) throw new ProblemException('invalid-cursor');
  return {
    siteId,
    limit: pageLimit(query),
    after,
    active: query.active === undefined ? undefined : query.active === 'true',
  };
}

/** A page of rows read in id order (`limit + 1` of them), its cursor the last id shown. */
const byId = <R extends { id: string }, T>(page: SitePage<string>, rows: R[], view: (row: R) => T): Page<T> =>
  toPage(rows, page.limit, (r) => [r.id], view);

/**
 * A site's program tracks, staff directory and group series, a page at a time in id order. Reference data
 * holds no client's data, so these reads are not audited; the route's site permission is the access check.
 */
@Injectable()
export class ListSiteReference {
  constructor(private readonly repository: SiteListsRepository) {}

  async tracks(siteId: string, query: ActiveListQuery): Promise<Page<TrackItem>> {
    const page = idPage(siteId, query);
    return byId(page, await this.repository.tracks(page), (r) => ({
      id: r.id,
      siteId: r.site_id,
      name: r.name,
      levelOfCare: r.level_of_care,
      population: r.population,
      modality: r.modality,
      weeklyPattern: r.weekly_pattern,
      plannedWeeklyMinutes: r.weekly_pattern.reduce((sum, slot) => sum + slot.minutes, 0),
      expectedStayWeeks: r.expected_stay_weeks,
      active: r.active,
    }));
  }

  async staff(siteId: string, query: ActiveListQuery): Promise<Page<StaffDirectoryItem>> {
    const page = idPage(siteId, query);
    return byId(page, await this.repository.staff(page), (r) => ({
      id: r.id,
      displayName: r.display_name,
      roles: r.roles,
      siteIds: r.site_ids,
      active: r.active,
    }));
  }

  async series(siteId: string, query: ActiveListQuery): Promise<Page<SeriesItem>> {
    const page = idPage(siteId, query);
    return byId(page, await this.repository.series(page), (r) => ({
      ...seriesView(r),
      seated: r.seated,
      active: r.active,
    }));
  }
}
