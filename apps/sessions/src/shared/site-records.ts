import { Injectable } from '@nestjs/common';
import { type Actor, type AccessAttempt, AuditTrail, ProblemException, SiteScope } from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';

export interface SiteInfo {
  readonly siteId: string;
  readonly networkId: string | null;
  readonly timeZone: string | null;
}

/**
 * Site checks shared by the routes: a record's site must be in the caller's scope (else 404 and a denied
 * audit entry), and its time zone must be known before anything dated is recorded there.
 */
@Injectable()
export class SiteRecords {
  constructor(
    private readonly scope: SiteScope,
    private readonly audit: AuditTrail,
  ) {}

  async site(m: EntityManager, siteId: string): Promise<SiteInfo> {
    const [row] = await m.query<{ network_id: string; time_zone: string }[]>(
      `SELECT network_id, time_zone FROM ${table('sites')} WHERE site_id = $1`,
      [siteId],
    );
    return { siteId, networkId: row?.network_id ?? null, timeZone: row?.time_zone ?? null };
  }

  /** Checks the caller may act at the record's site; returns the site with its time zone. */
  async assertAccess(
    actor: Actor,
    m: EntityManager,
    siteId: string,
    attempt: AccessAttempt,
  ): Promise<SiteInfo> {
    const site = await this.site(m, siteId);
    await this.scope.assertRecord(actor, { siteId, networkId: site.networkId }, attempt);
    return site;
  }

  timeZoneOf(site: SiteInfo): string {
    if (site.timeZone === null) {
      throw new ProblemException('unprocessable', {
        detail: "The site's reference data (its time zone) has not reached sessions yet; retry shortly",
      });
    }
    return site.timeZone;
  }

  /** Records an allowed access, in the transaction of the change when there is one. */
  async allowed(actor: Actor, attempt: AccessAttempt & { siteId: string }, m?: EntityManager): Promise<void> {
    await this.audit.record(actor, { ...attempt, outcome: 'allowed' }, m);
  }
}
