import { randomBytes, randomUUID } from 'node:crypto';
import { RecordingUnitOfWork, type Transaction } from '@stepwise/messaging';
import { ManualClock } from '@stepwise/platform';
import {
  type Actor,
  AuditTrail,
  type AuditEvent,
  ProblemException,
  type RecordKind,
  ScopedRecords,
  SiteScope,
  type SiteOwnedRow,
  UnknownSiteDirectory,
} from '@stepwise/security';
import { type DataSource, type EntityManager } from 'typeorm';
import { SessionsConfig } from '../config/sessions.config';
import { NoteCipher } from '../notes/note-cipher';
import { EpisodeFactsRepository } from '../progress/episode-facts.repository';
import { EvaluateEpisode } from '../progress/evaluate-episode';
import { type SiteReference, SitesRepository } from '../projections/sites.repository';

/**
 * Test doubles for the use-case unit tests: a transaction whose SQL goes nowhere but whose events are encoded
 * by the real outbox (so a payload that breaks its contract fails the test), the real site scoping with a
 * recording audit trail, and records loaded from memory. No database, broker or network.
 */

/** The audit trail, kept in memory. */
export class RecordingAuditTrail extends AuditTrail {
  readonly entries: AuditEvent[] = [];

  constructor() {
    super({} as DataSource);
  }

  override record(_actor: Actor, event: AuditEvent): Promise<void> {
    this.entries.push(event);
    return Promise.resolve();
  }

  outcomes(): string[] {
    return this.entries.map((e) => `${e.action}:${e.resourceType}:${e.outcome}`);
  }
}

/** ScopedRecords over records held in memory (`find`); site scoping and auditing are the library's own. */
export class InMemoryScopedRecords extends ScopedRecords {
  constructor(
    private readonly find: (id: string) => SiteOwnedRow | undefined = () => undefined,
    readonly trail = new RecordingAuditTrail(),
  ) {
    super({} as DataSource, new SiteScope(new UnknownSiteDirectory(), trail), trail);
  }

  override async load<R extends SiteOwnedRow>(
    actor: Actor,
    kind: RecordKind<R>,
    id: string,
    action: string,
  ): Promise<R> {
    // Rows are put by the test as the kind's row type; the map only forgets which kind each one is.
    const row = this.find(id) as R | undefined;
    if (row === undefined)
      throw new ProblemException('not-found', { detail: `No such ${kind.resourceType}` });
    await this.assertSite(
      actor,
      { siteId: row.site_id, networkId: row.network_id },
      { action, resourceType: kind.resourceType, resourceId: id },
    );
    return row;
  }
}

export const SITE_ID = '5a1e0000-0000-4000-8000-000000000001';
export const OTHER_SITE_ID = '5a1e0000-0000-4000-8000-000000000002';

/** A clinician of `sites` (a staff id as subject, so they can sign). */
export function clinician(sites: readonly string[] = [SITE_ID], id: string = randomUUID()): Actor {
  return {
    principal: { id, kind: 'user', roles: ['counselor'], sites, network: undefined },
    requestId: randomUUID(),
    sourceAddress: undefined,
  };
}

/** The note cipher with a fresh key, as the service builds it from its configuration. */
export function noteCipher(): NoteCipher {
  const config = new SessionsConfig();
  config.NOTES_KEK = randomBytes(32).toString('base64');
  return new NoteCipher(config);
}

/** The projected sites: every site known, in Chicago, unless the test says otherwise. */
export class InMemorySites extends SitesRepository {
  readonly timeZones = new Map<string, string | null>();

  override site(_m: EntityManager, siteId: string): Promise<SiteReference> {
    const timeZone = this.timeZones.has(siteId) ? (this.timeZones.get(siteId) ?? null) : 'America/Chicago';
    return Promise.resolve({ siteId, networkId: null, timeZone });
  }
}

/** The progress rules, not run: only which episodes a use case asked to re-evaluate. */
export class RecordingEvaluation extends EvaluateEpisode {
  readonly episodes: string[] = [];

  constructor() {
    const clock = new ManualClock('2025-01-01T00:00:00.000Z');
    super(new EpisodeFactsRepository(), new SessionsConfig(), clock);
  }

  override run(_tx: Transaction, episodeId: string): Promise<void> {
    this.episodes.push(episodeId);
    return Promise.resolve();
  }
}

/** The problem a use case answered with: its catalogue code and detail. */
export async function problemOf(
  work: Promise<unknown>,
): Promise<{ code: string; detail: string | undefined }> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProblemException)) throw new Error(`expected a problem, got ${String(error)}`);
  return { code: error.code, detail: error.problem.detail };
}

/** What a use case that records a dated fact needs besides its repository, at 17:00 UTC on 3 March 2025. */
export interface RecordingDoubles {
  readonly uow: RecordingUnitOfWork;
  readonly scoped: InMemoryScopedRecords;
  readonly sites: InMemorySites;
  readonly evaluation: RecordingEvaluation;
  readonly clock: ManualClock;
}

export function recordingDoubles(): RecordingDoubles {
  return {
    uow: new RecordingUnitOfWork(),
    scoped: new InMemoryScopedRecords(),
    sites: new InMemorySites(),
    evaluation: new RecordingEvaluation(),
    clock: new ManualClock('2025-03-03T17:00:00.000Z'),
  };
}
