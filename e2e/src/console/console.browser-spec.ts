import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { encodeEvent, LevelOfCare } from '@stepwise/contracts';
import { ensureKeycloak, type LocalKeycloak, localKeycloak, workspaceRoot } from '@stepwise/infra';
import { type HttpApi } from '../client/http-api';
import { admit, type CohortClient, type SiteTeam } from '../demo/cohort';
import { type PlannedClient } from '../demo/cohort-plan';
import { type Site } from '../demo/network';
import { startTestSystem, type TestSystem } from '../system/test-system';
import { launchChromium } from './browser';
import { DEMO_PASSWORD, KeycloakLogin, realmSites } from './keycloak';

/**
 * The staff console's daily workflow in a real browser against the real services, signed in through Keycloak
 * (the demo realm, started by `npm run infra:up`): a counselor takes attendance and signs the group note and
 * sees the client's hours for the week change; a supervisor approves a step-down; a counselor of another site
 * cannot reach the client; nothing about a client is left in the browser's storage or in any URL.
 *
 * The services trust the realm's tokens (AUTH_ISSUER/AUTH_JWKS_URL), and the seed data goes in with the demo
 * logins' own tokens. The console's server listens on 4173, a redirect address the realm allows.
 */
const CONSOLE_PORT = 4173;
const CONSOLE = `http://127.0.0.1:${CONSOLE_PORT}`;
const ZONE = 'America/New_York';
const SHOTS =
  process.env['CONSOLE_SCREENSHOTS'] === '1' ? join(workspaceRoot(), 'docs', 'images') : undefined;

const localDate = (instant: Date): string => instant.toLocaleDateString('en-CA', { timeZone: ZONE });
const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const weekday = (date: string): string =>
  new Date(`${date}T12:00:00Z`)
    .toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' })
    .toLowerCase();

let keycloak: LocalKeycloak = localKeycloak();
let system: TestSystem;
let server: ChildProcess;
let browser: Browser;
let client: CohortClient;
let occurrenceId: string;
/** Yesterday at the site: a session that has taken place, whatever day the suite runs. */
const sessionDate = addDays(localDate(new Date()), -1);
const seen: string[] = [];
const failures = new Map<Page, string>();

afterEach(async () => {
  for (const [page, name] of failures) {
    if (!page.isClosed()) {
      await page
        .screenshot({ path: join(workspaceRoot(), '.infra', 'e2e', system.run, `last-${name}.png`) })
        .catch(() => undefined);
    }
  }
  failures.clear();
});

async function seed(): Promise<void> {
  const sites = realmSites();
  const harbor = sites['harbor'] ?? '';
  const urls = system.system.urls;
  const admin = await new KeycloakLogin(keycloak, 'network.admin').api(urls.scheduling);
  for (const [id, name] of [
    [harbor, 'Harbor Clinic'],
    [sites['lakeshore'] ?? '', 'Lakeshore Clinic'],
  ] as const) {
    await admin.put(`/sites/${id}`, { name, timeZone: ZONE, closures: [], active: true });
  }
  const login = (username: string) => new KeycloakLogin(keycloak, username);
  const counselor = login('harbor.counselor1');
  const supervisor = login('harbor.supervisor');
  // Scheduling names its staff itself: the facilitators are directory entries, not the logins' subjects.
  const staff = async (roles: string[], displayName: string): Promise<string> =>
    (
      await admin.post<{ id: string }>('/staff', {
        siteIds: [harbor],
        roles,
        displayName,
        email: `${displayName.replace(/\W/g, '').toLowerCase()}@clinic.example`,
        phone: '+15550101010',
        timeZone: ZONE,
        preferredLanguage: 'en',
        active: true,
      })
    ).id;
  const counselorId = await staff(['counselor'], 'Counselor 1A');
  const supervisorId = await staff(['clinical-supervisor', 'counselor'], 'Supervisor 1');
  // Receives the site's payer-authorization alerts (the admission records an authorization).
  const billingId = await staff(['billing'], 'Billing 1');
  // Three evening groups a week, the first on the session's weekday (9 hours: the level 2.1 minimum).
  const slots = [0, 2, 4].map((shift) => ({
    weekday: weekday(addDays(sessionDate, shift)),
    start: '10:00',
    minutes: 180,
    sessionType: 'process-group',
  }));
  const track = async (name: string, levelOfCare: string, pattern: typeof slots): Promise<string> =>
    (
      await admin.post<{ id: string }>(`/sites/${harbor}/tracks`, {
        name,
        levelOfCare,
        population: 'adult',
        modality: 'in-person',
        weeklyPattern: pattern,
        active: true,
      })
    ).id;
  const iopTrackId = await track('Adult SUD IOP', '2.1', slots);
  const outpatientTrackId = await track('Adult continuing care', '1', [
    { ...slots[0], minutes: 90 } as (typeof slots)[0],
  ]);
  for (const [n, slot] of slots.entries()) {
    await admin.post(`/sites/${harbor}/group-series`, {
      programTrackId: iopTrackId,
      ...slot,
      facilitatorId: counselorId,
      room: `Room ${n + 1}`,
      capacity: 12,
      startsOn: addDays(sessionDate, -28),
    });
  }
  const site: Site = {
    id: harbor,
    name: 'Harbor Clinic',
    timeZone: ZONE,
    iopTrackId,
    outpatientTrackId,
    phpTrackId: iopTrackId,
    counselorIds: [counselorId],
    supervisorId,
    billingId,
  };
  const team = {
    coordinator: { intake: await login('harbor.intake').api(urls.intake) },
    counselor: { intake: await counselor.api(urls.intake), sessions: await counselor.api(urls.sessions) },
    supervisor: { intake: await supervisor.api(urls.intake), sessions: await supervisor.api(urls.sessions) },
  } as SiteTeam;
  const planned = {
    siteIndex: 0,
    n: 1,
    profile: 'steady',
    admittedOn: addDays(sessionDate, -14),
    dimensionRatings: [1, 0, 2, 2, 2, 2],
  };
  client = await admit(team, site, planned as unknown as PlannedClient);
  // Scheduling seats the client from the admission event; the session of the day lists them once it has.
  const schedule: HttpApi = await counselor.api(urls.scheduling);
  occurrenceId = await until(
    "the client's seat in the day's group",
    async () => {
      const day = await schedule.get<{ items: { id: string; kind: string }[] }>(
        `/sites/${harbor}/calendar?from=${sessionDate}&to=${addDays(sessionDate, 1)}`,
      );
      for (const occurrence of day.items.filter((o) => o.kind === 'group')) {
        const roster = await schedule.get<{ attendees: { clientId: string }[] }>(
          `/occurrences/${occurrence.id}/roster`,
        );
        if (roster.attendees.some((a) => a.clientId === client.id)) return occurrence.id;
      }
      return undefined;
    },
    120_000,
  );
}

/** A fresh browser profile signed in as a demo login through Keycloak's own sign-in page. */
async function signIn(username: string, path: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 960 } });
  const page = await context.newPage();
  page.on('request', (request) => seen.push(request.url()));
  // What the page said and answered goes to the run's log folder, with a picture of a failed step.
  const log = createWriteStream(
    join(workspaceRoot(), '.infra', 'e2e', system.run, `browser-${username}.log`),
  );
  page.on('console', (message) => log.write(`${message.type()}: ${message.text()}\n`));
  page.on('response', (response) => {
    if (response.status() >= 400)
      log.write(`${response.status()} ${response.request().method()} ${response.url()}\n`);
  });
  failures.set(page, username);
  await page.goto(`${CONSOLE}${path}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('#kc-login').click();
  await page.getByTestId('signed-in-as').waitFor();
  return { context, page };
}

/** Polls until `read` answers something (not undefined), at most `ms`. */
async function until<T>(what: string, read: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    const value = await read().catch((error: unknown) => {
      last = error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} (last error: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function expectNoClientDataKept(page: Page): Promise<void> {
  // Evaluated in the page (the test itself has no DOM types).
  const storage = (await page.evaluate(`({
    local: Object.keys(localStorage).map((k) => k + '=' + localStorage.getItem(k)),
    session: Object.keys(sessionStorage).map((k) => k + '=' + sessionStorage.getItem(k)),
  })`)) as { local: string[]; session: string[] };
  expect(storage.local).toEqual([]);
  const kept = [...storage.session, page.url()].join('\n');
  expect(kept).not.toMatch(/Client1|Harbor,|access_token|eyJ/);
}

const shot = async (page: Page, name: string): Promise<void> => {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `console-${name}.png`) });
};

beforeAll(async () => {
  // The repository's realm (tools/infra/keycloak), started when not running; KEYCLOAK_PORT points elsewhere.
  const port = process.env['KEYCLOAK_PORT'] === undefined ? undefined : Number(process.env['KEYCLOAK_PORT']);
  keycloak = (await ensureKeycloak({ port, timeoutMs: 8 * 60_000 })).keycloak;
  const ISSUER = keycloak.issuer;
  system = await startTestSystem('console', {
    AUTH_ISSUER: ISSUER,
    AUTH_JWKS_URL: keycloak.jwksUrl,
  });
  const log = createWriteStream(join(workspaceRoot(), '.infra', 'e2e', system.run, 'console.log'));
  const urls = system.system.urls;
  server = spawn(process.execPath, [join(workspaceRoot(), 'dist', 'apps', 'console', 'main.js')], {
    env: {
      PATH: process.env['PATH'],
      CONSOLE_PORT: String(CONSOLE_PORT),
      OIDC_ISSUER: ISSUER,
      OIDC_CLIENT_ID: 'stepwise-console',
      INTAKE_URL: urls.intake,
      SCHEDULING_URL: urls.scheduling,
      SESSIONS_URL: urls.sessions,
      NOTIFICATIONS_URL: urls.notifications,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  await until('the console', async () => ((await fetch(`${CONSOLE}/healthz`)).ok ? true : undefined), 30_000);
  await seed();
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await system?.stop();
}, 120_000);

it('a counselor takes attendance, signs the group note and sees the week’s hours change', async () => {
  const { context, page } = await signIn('harbor.counselor1', `/today?date=${sessionDate}`);
  const group = page.getByRole('region', { name: /Process group/ }).first();
  await group.getByRole('button', { name: 'Roster' }).click();
  await group.getByText('Harbor, Client1').waitFor();
  await shot(page, 'today');
  // In-app navigation: a reload would sign in again (the tokens live in the page's memory only).
  await group.getByRole('link', { name: 'Take attendance' }).click();
  await page.waitForURL(`**/sessions/${occurrenceId}**`);
  const hours = page.getByTestId(`week-hours-${client.id}`);
  const before =
    (await page
      .getByText(/h of 9 h|No hours yet/)
      .first()
      .textContent()) ?? '';
  await page.getByRole('button', { name: 'Save attendance' }).click();
  await page.getByText('Attendance saved.').waitFor();
  await until(
    "the week's hours after the attendance",
    async () => {
      const text = (await hours.count()) > 0 ? ((await hours.textContent()) ?? '') : '';
      return text !== '' && text !== before ? text : undefined;
    },
    60_000,
  );
  expect(await hours.textContent()).toMatch(/^\d+(\.\d)? h of 9 h$/);
  expect(await hours.textContent()).not.toBe(before);

  await page.getByLabel('Topic').fill('Coping with cravings');
  await page.getByLabel('Interventions').fill('Urge surfing practice; relapse-prevention worksheet');
  await page.getByLabel('Data (Harbor, Client1)').fill('Described a craving at work and the plan used');
  await page.getByLabel('Assessment (Harbor, Client1)').fill('Engaged; applying skills');
  await page.getByLabel('Plan (Harbor, Client1)').fill('Continue IOP; practise urge surfing daily');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByLabel('I attest that this note is accurate and complete').check();
  await shot(page, 'attendance-note');
  await page.getByRole('button', { name: 'Sign note' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /^Signed/ })
    .waitFor();
  await expectNoClientDataKept(page);
  await context.close();
}, 180_000);

it('a supervisor approves a step-down and the client moves to the new level', async () => {
  const kafka = new Kafka({
    clientId: 'console-browser-test',
    brokers: system.brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const message = encodeEvent('StepDownRecommended', {
    recommendationId: randomUUID(),
    clientId: client.id,
    episodeId: client.episodeId,
    siteId: client.site.id,
    fromLevel: LevelOfCare.IntensiveOutpatient,
    toLevel: LevelOfCare.Outpatient,
    evidence: {
      weeksInProgram: 8,
      attendanceRate: 0.95,
      consecutiveNegativeScreens: 6,
      recentPositiveScreens: 0,
      consecutiveAbsences: 0,
      goalsMet: 3,
      goalsTotal: 4,
      latestAssessmentId: randomUUID(),
      dimensionRatings: [0, 0, 1, 1, 1, 1],
    },
    ruleSetVersion: 'progress-rules@1',
    recommendedAt: new Date().toISOString(),
  });
  await producer.send({
    topic: `${system.prefix}${message.topic}`,
    messages: [{ key: message.key, value: message.value, headers: { ...message.headers } }],
  });
  await producer.disconnect();

  // The review opens when intake has consumed the recommendation; the supervisor signs in after that.
  const reviews = await new KeycloakLogin(keycloak, 'harbor.supervisor').api(system.system.urls.intake);
  await until(
    'the review',
    async () => {
      const page = await reviews.get<{ items: unknown[] }>(`/sites/${client.site.id}/reviews?status=open`);
      return page.items.length > 0 ? true : undefined;
    },
    60_000,
  );
  const { context, page } = await signIn('harbor.supervisor', '/reviews');
  const review = page.getByRole('region', { name: 'Step down: Harbor, Client1' });
  await review.waitFor();
  await review.getByLabel('Track at the new level').selectOption({ label: 'Adult continuing care' });
  await shot(page, 'review-queue');
  await review.getByRole('button', { name: 'Approve' }).click();
  await review.waitFor({ state: 'detached' });
  const supervisor = await new KeycloakLogin(keycloak, 'harbor.supervisor').api(system.system.urls.intake);
  const episode = await until(
    'the level change',
    async () => {
      const e = await supervisor.get<{ clinicalLevel: string }>(`/episodes/${client.episodeId}`);
      return e.clinicalLevel === '1' ? e : undefined;
    },
    60_000,
  );
  expect(episode.clinicalLevel).toBe('1');
  await expectNoClientDataKept(page);
  await context.close();
}, 180_000);

it('a counselor of another site cannot reach the client', async () => {
  const { context, page } = await signIn('lakeshore.counselor1', `/sessions/${occurrenceId}`);
  await page.getByRole('alert').first().waitFor();
  expect(await page.getByRole('alert').first().textContent()).toMatch(/not at your sites|do not allow/);
  expect(await page.getByText('Harbor, Client1').count()).toBe(0);
  await context.close();
}, 120_000);

it('no request the console made carried a client’s name', () => {
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((url) => /Client1|Harbor%2C|Harbor,/.test(url))).toEqual([]);
});
