/*
 * Shared by the scheduling integration specs; holds no tests. Production-side lint forbids the test library
 * here, so the specs pass in what of it this file uses (`schedulingFixture({ startServiceApp, http,
 * testTokens })`), as intake's fixtures do.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type AnyCareEvent, Topics } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type DataSource } from 'typeorm';
import { ExtendHorizon } from '../schedule/extend-horizon';
import { schedulingDefinition } from '../scheduling.definition';
import { staffMemberBody } from './reference-world';

/** What the helpers use of a running app (the shape of the test library's ServiceApp). */
export interface RunningScheduling {
  readonly url: string;
  readonly dataSource: DataSource;
  readonly app: { get<T>(token: abstract new (...args: never[]) => T): T };
}

/** The parts of the test library the helpers need, passed in by the specs. */
export interface SchedulingTestLibrary<App extends RunningScheduling> {
  startServiceApp(
    definition: typeof schedulingDefinition,
    options: { label: string; envExample: string; env: Record<string, string> },
  ): Promise<App>;
  http<T>(
    url: string,
    request: { method?: string; token?: string; json?: unknown },
  ): Promise<{ status: number; text: string; body: T }>;
  testTokens: {
    valid(spec: {
      sub?: string;
      roles: readonly string[];
      sites?: readonly string[];
      network?: string;
    }): Promise<string>;
  };
}

/** Test helpers shared by the scheduling integration specs (test code only). */
export const NETWORK = randomUUID();

export const staffBody = (siteId: string): Record<string, unknown> => ({ ...staffMemberBody([siteId]) });

export async function count(app: RunningScheduling, tableName: string, where = 'true'): Promise<number> {
  const [row] = await app.dataSource.query<{ n: string }[]>(
    `SELECT count(*) AS n FROM "scheduling"."${tableName}" WHERE ${where}`,
  );
  return Number(row?.n);
}

/** Rows written by the service's write routes (reference tables, series, appointments) and events. */
export async function countWrites(app: RunningScheduling): Promise<number> {
  const tables = [
    'sites',
    'program_tracks',
    'staff_members',
    'group_series',
    'occurrences',
    'appointments',
    'outbox',
  ];
  let total = 0;
  for (const name of tables) total += await count(app, name);
  return total;
}

export interface Outboxed {
  type: string;
  key: string;
  payload: Record<string, unknown>;
}

/** The events the service wrote to its outbox (committed), in order, of some ce_types. */
export async function outboxEvents(app: RunningScheduling, type?: string): Promise<Outboxed[]> {
  const rows = await app.dataSource.query<
    { type: string; aggregateid: string; payload: Record<string, unknown> }[]
  >(
    `SELECT type, aggregateid, payload FROM "scheduling"."outbox"
      ${type === undefined ? '' : `WHERE type = 'care.scheduling.${type}.v1'`} ORDER BY sequence`,
  );
  return rows.map((r) => ({ type: r.type, key: r.aggregateid, payload: r.payload }));
}

/**
 * Does the horizon job's work for a site now, at the app's (fixed) clock, so that the job itself — started by a
 * timer 10 s after the app, whenever that falls in a spec — finds nothing left to write for the site that day.
 * A spec counting the rows a step writes settles first: otherwise the job may book seats of occurrences an
 * earlier step generated (a legitimate write) in the middle of the count. The job's run of the site locks the
 * same series rows first, so it either finished before this or waits for it and then writes nothing.
 */
export async function settleHorizon(app: RunningScheduling, siteId: string): Promise<void> {
  const now = app.app.get(Clock).now();
  const extendHorizon = app.app.get(ExtendHorizon);
  await app.app.get(UnitOfWork).run((tx) => extendHorizon.extendSite(tx, siteId, now));
}

export function typesOf(events: readonly AnyCareEvent[]): string[] {
  return events.map((e) => e.type);
}

export const referenceTopic = Topics.SchedulingReference;
export const eventsTopic = Topics.SchedulingEvents;

/** The helpers that start the service, mint tokens and call its routes. */
export interface SchedulingHelpers<App extends RunningScheduling> {
  startScheduling(label: string, now?: string, env?: Record<string, string>): Promise<App>;
  adminToken(sites: readonly string[]): Promise<string>;
  serviceToken(): Promise<string>;
  createSite(
    app: App,
    token: string,
    siteId: string,
    body?: Partial<{ timeZone: string; closures: string[] }>,
  ): Promise<void>;
  createStaff(app: App, token: string, siteId: string): Promise<string>;
  createTrack(app: App, token: string, siteId: string, body?: Record<string, unknown>): Promise<string>;
}

/** The helpers bound to the test library the spec passes in. */
export function schedulingFixture<App extends RunningScheduling>(
  lib: SchedulingTestLibrary<App>,
): SchedulingHelpers<App> {
  const { http, testTokens } = lib;

  /**
   * The service on its own database and topics. `now` fixes its clock (horizons, "not in the past" checks,
   * cancellations), so a spec's dates mean the same whatever day the suite runs. `env` adds to the service's
   * variables (where intake is, for the FHIR specs).
   */
  async function startScheduling(
    label: string,
    now?: string,
    env: Record<string, string> = {},
  ): Promise<App> {
    const app = await lib.startServiceApp(schedulingDefinition, {
      label,
      envExample: join(__dirname, '../../.env.example'),
      env: { RATE_LIMIT_REQUESTS: '100000', LOG_LEVEL: 'warn', ...env },
    });
    if (now !== undefined) jest.spyOn(app.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    return app;
  }

  const adminToken = (sites: readonly string[]): Promise<string> =>
    testTokens.valid({ roles: ['site-admin', 'program-director'], sites: [...sites], network: NETWORK });

  const serviceToken = (): Promise<string> =>
    testTokens.valid({ sub: 'notifications', roles: ['service'], network: NETWORK });

  async function createSite(
    app: App,
    token: string,
    siteId: string,
    body: Partial<{ timeZone: string; closures: string[] }> = {},
  ): Promise<void> {
    const result = await http(`${app.url}/v1/sites/${siteId}`, {
      method: 'PUT',
      token,
      json: { name: 'Riverside Clinic', timeZone: 'America/New_York', closures: [], active: true, ...body },
    });
    if (result.status !== 200) throw new Error(`site: ${result.status} ${result.text}`);
  }

  async function createStaff(app: App, token: string, siteId: string): Promise<string> {
    const result = await http<{ id: string }>(`${app.url}/v1/staff`, { token, json: staffBody(siteId) });
    if (result.status !== 201) throw new Error(`staff: ${result.status} ${result.text}`);
    return result.body.id;
  }

  async function createTrack(
    app: App,
    token: string,
    siteId: string,
    body: Record<string, unknown> = {},
  ): Promise<string> {
    const result = await http<{ id: string }>(`${app.url}/v1/sites/${siteId}/tracks`, {
      token,
      json: {
        name: 'Adult SUD evening',
        levelOfCare: '2.1',
        population: 'adult',
        modality: 'in-person',
        weeklyPattern: [
          { weekday: 'monday', start: '18:00', minutes: 180, sessionType: 'process-group' },
          { weekday: 'wednesday', start: '18:00', minutes: 180, sessionType: 'relapse-prevention' },
          { weekday: 'thursday', start: '17:00', minutes: 60, sessionType: 'individual-counseling' },
        ],
        active: true,
        ...body,
      },
    });
    if (result.status !== 201) throw new Error(`track: ${result.status} ${result.text}`);
    return result.body.id;
  }

  return { startScheduling, adminToken, serviceToken, createSite, createStaff, createTrack };
}
