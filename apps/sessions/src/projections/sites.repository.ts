import { Injectable } from '@nestjs/common';
import { ProblemException } from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';

/** A site as sessions knows it from SiteUpserted: nulls until that fact has arrived. */
export interface SiteReference {
  readonly siteId: string;
  readonly networkId: string | null;
  readonly timeZone: string | null;
}

/** Reads the projected site reference data (written by ProjectionsRepository.upsertSite). */
@Injectable()
export class SitesRepository {
  async site(m: EntityManager, siteId: string): Promise<SiteReference> {
    const [row] = await m.query<{ network_id: string; time_zone: string }[]>(
      `SELECT network_id, time_zone FROM ${table('sites')} WHERE site_id = $1`,
      [siteId],
    );
    return { siteId, networkId: row?.network_id ?? null, timeZone: row?.time_zone ?? null };
  }
}

/**
 * The site's time zone, which dates a session or a screen locally; 422 while the site's reference data is
 * still on its way (the request can be retried, nothing is recorded with a guessed date).
 */
export function timeZoneOf(site: SiteReference): string {
  if (site.timeZone === null) {
    throw new ProblemException('unprocessable', {
      detail: "The site's reference data (its time zone) has not reached sessions yet; retry shortly",
    });
  }
  return site.timeZone;
}
