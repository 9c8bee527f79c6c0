import { NO_DATABASE } from '@stepwise/messaging';
import { type Actor, type AuditEvent, AuditTrail, SiteScope, UnknownSiteDirectory } from '@stepwise/security';
import { type DataSource } from 'typeorm';

/** The audit trail, remembering its entries instead of writing them. */
export class RecordingAuditTrail extends AuditTrail {
  readonly entries: (AuditEvent & { actorId: string })[] = [];

  constructor() {
    super(NO_DATABASE as unknown as DataSource);
  }

  override record(actor: Actor, event: AuditEvent): Promise<void> {
    this.entries.push({ ...event, actorId: actor.principal.id });
    return Promise.resolve();
  }
}

/** The real site scoping over a recording audit trail: a caller acts for the sites in its token only. */
export function siteScope(audit: RecordingAuditTrail): SiteScope {
  return new SiteScope(new UnknownSiteDirectory(), audit);
}

/** A staff member calling for `sites`. */
export function staffActor(id: string, sites: readonly string[]): Actor {
  return {
    principal: { id, kind: 'user', roles: [], sites, network: undefined },
    requestId: 'req-1',
    sourceAddress: undefined,
  };
}
