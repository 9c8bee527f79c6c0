/* Shared by the scheduling integration specs; holds no tests (jest.int.config.cjs ignores src/testing/). */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type AnyCareEvent, Topics } from '@stepwise/contracts';
import { type ServiceApp, http, startServiceApp, testTokens } from '@stepwise/testing';
import { Clock } from '@stepwise/platform';
import { schedulingDefinition } from '../scheduling.definition';

/** Test helpers shared by the scheduling integration specs (test code only). */
export const NETWORK = randomUUID();

/**
 * The service on its own database and topics. `now` fixes its clock (horizons, "not in the past" checks,
 * cancellations), so a spec's dates mean the same whatever day the suite runs.
 */
export async function startScheduling(label: string, now?: string): Promise<ServiceApp> {
  const app = await startServiceApp(schedulingDefinition, {
    label,
    envExample: join(__dirname, '../../.env.example'),
    env: { RATE_LIMIT_REQUESTS: '100000', LOG_LEVEL: 'warn' },
  });
  if (now !== undefined) jest.spyOn(app.app.get(Clock), 'now').mockImplementation(() => new Date(now));
  return app;
}

export const adminToken = (sites: readonly string[]): Promise<string> =>
  testTokens.valid({ roles: ['site-admin', 'program-director'], sites: [...sites], network: NETWORK });

export const serviceToken = (): Promise<string> =>
  testTokens.valid({ sub: 'notifications', roles: ['service'], network: NETWORK });

export async function count(app: ServiceApp, tableName: string, where = 'true'): Promise<number> {
  const [row] = await app.dataSource.query<{ n: string }[]>(
    `SELECT count(*) AS n FROM "scheduling"."${tableName}" WHERE ${where}`,
  );
  return Number(row?.n);
}

/** Rows written by the service's write routes (reference tables, series, appointments) and events. */
export async function countWrites(app: ServiceApp): Promise<number> {
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
export async function outboxEvents(app: ServiceApp, type?: string): Promise<Outboxed[]> {
  const rows = await app.dataSource.query<
    { type: string; aggregateid: string; payload: Record<string, unknown> }[]
  >(
    `SELECT type, aggregateid, payload FROM "scheduling"."outbox"
      ${type === undefined ? '' : `WHERE type = 'care.scheduling.${type}.v1'`} ORDER BY sequence`,
  );
  return rows.map((r) => ({ type: r.type, key: r.aggregateid, payload: r.payload }));
}

export async function createSite(
  app: ServiceApp,
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

export const staffBody = (siteId: string): Record<string, unknown> => ({
  siteIds: [siteId],
  roles: ['counselor'],
  displayName: 'Dr. Rivera',
  email: 'rivera@clinic.example',
  phone: '+15551234567',
  timeZone: 'America/New_York',
  preferredLanguage: 'en-US',
  active: true,
});

export async function createStaff(app: ServiceApp, token: string, siteId: string): Promise<string> {
  const result = await http<{ id: string }>(`${app.url}/v1/staff`, { token, json: staffBody(siteId) });
  if (result.status !== 201) throw new Error(`staff: ${result.status} ${result.text}`);
  return result.body.id;
}

export async function createTrack(
  app: ServiceApp,
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

export function typesOf(events: readonly AnyCareEvent[]): string[] {
  return events.map((e) => e.type);
}

export const referenceTopic = Topics.SchedulingReference;
export const eventsTopic = Topics.SchedulingEvents;
