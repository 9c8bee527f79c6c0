import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail';
import { type Actor, type Principal } from '../auth/principal';
import { isNetworkWide } from '../auth/token-claims';
import { ProblemException } from '../problems/problem.exception';
import { SiteDirectory } from './site-directory';

/** A record as far as site scoping cares: where it belongs. */
export interface SiteOwned {
  readonly siteId: string;
  /** The record's network, when it carries one (checked for network-wide callers). */
  readonly networkId?: string | null;
}

/** What the caller tried, for the audit entry written when the answer is "not found". */
export interface AccessAttempt {
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId?: string;
  readonly clientId?: string;
}

/**
 * Site scoping (architecture.md, "Who may do what"): a caller acts only for the sites in its token; a
 * network-wide caller (network-admin, service) for any site of its network. Anything else is answered as if
 * it did not exist — 404, never 403, so ids of other sites' records reveal nothing — and audited as denied.
 */
@Injectable()
export class SiteScope {
  constructor(
    private readonly directory: SiteDirectory,
    private readonly audit: AuditTrail,
  ) {}

  /** Whether `principal` may act at `siteId` (of network `networkId`, when the caller knows it). */
  async allows(principal: Principal, siteId: string, networkId?: string | null): Promise<boolean> {
    const site = siteId.toLowerCase();
    if (principal.sites.includes(site)) return true;
    if (!isNetworkWide(principal) || principal.network === undefined) return false;
    const network = networkId ?? (await this.directory.networkOf(site));
    return network !== undefined && network !== null && network.toLowerCase() === principal.network;
  }

  /** The network a site belongs to, as the site directory knows it. */
  networkOf(siteId: string): Promise<string | undefined> {
    return this.directory.networkOf(siteId.toLowerCase());
  }

  /**
   * Lets the caller proceed with `record`, or writes a denied audit entry and throws 404 not-found. Call it
   * right after loading a record by id, before using it. The denial is written on its own, never in the
   * caller's transaction: the 404 rolls that transaction back, and the attempt must stay on record.
   */
  async assertRecord(actor: Actor, record: SiteOwned, attempt: AccessAttempt): Promise<void> {
    if (await this.allows(actor.principal, record.siteId, record.networkId)) return;
    await this.audit.record(actor, {
      ...attempt,
      siteId: record.siteId,
      ...(record.networkId ? { networkId: record.networkId } : {}),
      outcome: 'denied',
    });
    throw new ProblemException('not-found', { detail: `No such ${attempt.resourceType}` });
  }

  /** The same for a site named by the request (path, query or body) rather than by a stored record. */
  async assertSite(actor: Actor, siteId: string, attempt: AccessAttempt): Promise<void> {
    if (await this.allows(actor.principal, siteId)) return;
    await this.audit.record(actor, { ...attempt, siteId, outcome: 'denied' });
    throw new ProblemException('not-found', { detail: 'No such site' });
  }
}
