import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  type AnyCareEvent,
  type EventPayload,
  type EventTypeName,
  LevelOfCare,
  encodeEvent,
} from '@stepwise/contracts';
import { Clock } from '@stepwise/platform';
import { type ServiceApp, startServiceApp, testTokens, waitFor } from '@stepwise/testing';
import { sessionsDefinition } from '../sessions.definition';
import { type EpisodeIds, clientAdmitted, groupAppointment, siteUpserted } from './episode-events';

/**
 * The running sessions service an integration spec shares between its tests, and the fixtures each test
 * builds for itself (a fresh site, its clients, their group session), so any test can run alone.
 */

export const NETWORK = randomUUID();
export const COUNSELOR_ID = randomUUID();
export const SUPERVISOR_ID = randomUUID();

// Sunday 9 March 2025, 22:00 in Chicago (daylight saving began that morning) is Monday 03:00 UTC: the session
// belongs to the ISO week of 3 March in the site's calendar, not to the week of 10 March as UTC would say.
export const SESSION_STARTS = '2025-03-10T03:00:00.000Z';
export const SESSION_ENDS = '2025-03-10T06:00:00.000Z';
// Sunday 23:00 in Chicago: the session has started, its week has not ended.
export const NOW = new Date('2025-03-10T04:00:00Z');

export interface Seat extends EpisodeIds {
  readonly appointmentId: string;
}

export const aSeat = (): Seat => ({
  clientId: randomUUID(),
  episodeId: randomUUID(),
  appointmentId: randomUUID(),
});

export interface Sessions {
  readonly svc: ServiceApp;
  /** `SELECT count(*) FROM <sql>`. */
  count(sql: string, params?: unknown[]): Promise<number>;
  publish<T extends EventTypeName>(type: T, payload: EventPayload<T>): Promise<unknown>;
  /** Admits the client and seats them in the occurrence's group session. */
  admit(client: Seat, siteId: string, occurrenceId: string): Promise<void>;
  /** A site known to sessions (its SiteUpserted projected). */
  site(siteId?: string): Promise<string>;
  /** A counselor of the site (subject `sub` when given, e.g. a staff id that signs). */
  counselor(siteId: string, sub?: string): Promise<string>;
  /**
   * Waits until the progress evaluations requests marked due have run and committed (they run after the
   * request's commit): its closed weeks, risks and recommendations are then stored and in the outbox.
   */
  evaluated(): Promise<void>;
}

/**
 * Starts the service for the spec's tests (clock held at NOW, no periodic week closing, its database under
 * `label`, plus `env`, read when it starts) and stops it after; the spec's tests call the answer for the
 * running service.
 */
export function useSessions(label: string, env: () => Record<string, string> = () => ({})): () => Sessions {
  let svc: ServiceApp | undefined;
  beforeAll(async () => {
    svc = await startServiceApp(sessionsDefinition, {
      label,
      envExample: join(__dirname, '../../.env.example'),
      env: { WEEK_CLOSE_INTERVAL_MS: '0', ...env() },
    });
    // The clock stands still at NOW for every request and rule the app runs.
    svc.app.get(Clock).now = () => new Date(NOW);
  }, 120_000);
  afterAll(async () => {
    await svc?.close();
  });
  return () => {
    if (svc === undefined) throw new Error('the sessions app has not started');
    return sessionsOf(svc);
  };
}

function sessionsOf(svc: ServiceApp): Sessions {
  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const [row] = await svc.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${sql}`, params);
    return Number(row?.n ?? 0);
  };
  return {
    svc,
    count,
    publish: (type, payload) => svc.publish(encodeEvent(type, payload)),
    async admit(client, siteId, occurrenceId) {
      await svc.publish(clientAdmitted(client, siteId, COUNSELOR_ID, '2025-03-03T15:00:00.000Z'));
      await svc.publish(
        groupAppointment(
          client,
          { appointmentId: client.appointmentId, occurrenceId },
          siteId,
          COUNSELOR_ID,
          {
            startsAt: SESSION_STARTS,
            endsAt: SESSION_ENDS,
          },
        ),
      );
    },
    async site(siteId = randomUUID()) {
      await svc.publish(siteUpserted(siteId, NETWORK));
      await waitFor(
        'the site',
        () => count('sessions.sites WHERE site_id = $1', [siteId]),
        (n) => n === 1,
      );
      return siteId;
    },
    counselor: (siteId, sub) =>
      testTokens.valid({ ...(sub ? { sub } : {}), roles: ['counselor'], sites: [siteId] }),
    evaluated: () => evaluationsDone(svc),
  };
}

/**
 * Waits until the progress evaluations requests marked due have run: a mark is deleted by the transaction that
 * evaluates its episode, so it is gone once what the evaluation derived is stored and in the outbox.
 */
export async function evaluationsDone(svc: ServiceApp): Promise<void> {
  await waitFor(
    'the evaluations due',
    () => svc.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM sessions.evaluations_due`),
    (rows) => Number(rows[0]?.n) === 0,
  );
}

/** A group session of a fresh site: `size` adults in IOP admitted and seated, projected into sessions. */
export interface Group {
  readonly site: string;
  readonly occurrence: string;
  readonly clients: Seat[];
  /** A counselor of the site. */
  readonly token: string;
}

export async function aGroup(s: Sessions, size = 12): Promise<Group> {
  const site = await s.site();
  const occurrence = randomUUID();
  const clients = Array.from({ length: size }, aSeat);
  for (const client of clients) await s.admit(client, site, occurrence);
  await waitFor(
    'the group projected',
    () => s.count('sessions.session_records WHERE occurrence_id = $1', [occurrence]),
    (n) => n === size,
    60_000,
  );
  return { site, occurrence, clients, token: await s.counselor(site) };
}

/** The client's single seat at another site (for the 404s of other sites' records). */
export async function aStranger(s: Sessions): Promise<Seat & { site: string; occurrence: string }> {
  const stranger = { ...aSeat(), site: await s.site(), occurrence: randomUUID() };
  await s.admit(stranger, stranger.site, stranger.occurrence);
  await waitFor(
    'the stranger projected',
    () => s.count('sessions.session_records WHERE appointment_id = $1', [stranger.appointmentId]),
    (n) => n === 1,
  );
  return stranger;
}

/** Events of one type on the sessions topic, about the given clients only. */
export const eventsOf = (
  events: readonly AnyCareEvent[],
  type: string,
  clients: readonly { clientId: string }[],
): AnyCareEvent[] => {
  const ids = new Set(clients.map((c) => c.clientId));
  return events.filter((e) => e.type === type && ids.has((e.data as { clientId: string }).clientId));
};

/** The attendance body for the whole group, with per-client overrides by index. */
export interface Roster {
  readonly entries: Record<string, unknown>[];
}

export const rosterOf = (
  clients: readonly Seat[],
  overrides: Record<number, Record<string, unknown>> = {},
): Roster => ({
  entries: clients.map((c, i) => ({ appointmentId: c.appointmentId, status: 'present', ...overrides[i] })),
});

/** Client 10 late (two hours of three), client 11 a no-show; everyone else present. */
export const LATE_AND_NO_SHOW = {
  10: { status: 'late', minutesAttended: 120 },
  11: { status: 'absent', reasonCode: 'no-show' },
};

/** The client's ASAM assessment of 2 March (the evidence a step-up cites), projected into sessions. */
export async function assessed(s: Sessions, client: Seat, siteId: string): Promise<void> {
  await s.publish('AssessmentCompleted', {
    assessmentId: randomUUID(),
    clientId: client.clientId,
    siteId,
    dimensionRatings: [2, 1, 2, 2, 3, 2],
    recommendedLevel: LevelOfCare.IntensiveOutpatient,
    assessedBy: COUNSELOR_ID,
    assessedAt: '2025-03-02T16:00:00.000Z',
  });
  await waitFor(
    'the assessment',
    () => s.count('sessions.assessments WHERE client_id = $1', [client.clientId]),
    (n) => n === 1,
  );
}
