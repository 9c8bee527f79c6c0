import { randomBytes, randomUUID } from 'node:crypto';
import { RecordingUnitOfWork, type Transaction } from '@stepwise/messaging';
import { ManualClock, MetricsService } from '@stepwise/platform';
import { type Actor, InMemoryScopedRecords, ProblemException } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { AuthorizationWatch } from '../billing/authorization-watch';
import { BillingRepository } from '../billing/billing.repository';
import { SessionsConfig } from '../config/sessions.config';
import { InMemoryCareRules } from './care-rules';
import { NoteCipher } from '../notes/note-cipher';
import { EpisodeFactsRepository } from '../progress/episode-facts.repository';
import { DeferredEvaluation } from '../progress/deferred-evaluation';
import { EvaluateEpisode } from '../progress/evaluate-episode';
import { ProgramCounters } from '../progress/program-counters';
import { type SiteReference, SitesRepository } from '../projections/sites.repository';

/**
 * Test doubles for the use-case unit tests: a transaction whose SQL goes nowhere but whose events are encoded
 * by the real outbox (so a payload that breaks its contract fails the test), and the real site scoping with a
 * recording audit trail over records held in memory (both from the libraries). No database, broker or network.
 */

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
    super(
      new EpisodeFactsRepository(),
      new SessionsConfig(),
      clock,
      new ProgramCounters(new MetricsService('sessions')),
      new InMemoryCareRules(),
      new AuthorizationWatch(new BillingRepository(), clock),
    );
  }

  override run(_tx: Transaction, episodeId: string): Promise<void> {
    this.episodes.push(episodeId);
    return Promise.resolve();
  }
}

/** Evaluation after the commit, not run: only which episodes a use case marked due. */
export class RecordingDeferredEvaluation extends DeferredEvaluation {
  readonly episodes: string[] = [];

  constructor(uow: RecordingUnitOfWork) {
    // Never connected: nothing here is evaluated.
    super(uow, new RecordingEvaluation(), new DataSource({ type: 'postgres' }));
  }

  override markAndLock(_tx: Transaction, episodeIds: Iterable<string>): Promise<void> {
    this.episodes.push(...new Set(episodeIds));
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
  /** A real Prometheus registry of its own, and the program counters on it. */
  readonly metrics: MetricsService;
  readonly counters: ProgramCounters;
}

export function recordingDoubles(): RecordingDoubles {
  const metrics = new MetricsService('sessions');
  return {
    uow: new RecordingUnitOfWork(),
    scoped: new InMemoryScopedRecords(),
    sites: new InMemorySites(),
    evaluation: new RecordingEvaluation(),
    clock: new ManualClock('2025-03-03T17:00:00.000Z'),
    metrics,
    counters: new ProgramCounters(metrics),
  };
}
