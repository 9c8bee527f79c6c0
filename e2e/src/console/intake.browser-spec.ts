import { type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { ensureKeycloak, type LocalKeycloak, realmStaff, workspaceRoot } from '@stepwise/infra';
import { startTestSystem, type TestSystem } from '../system/test-system';
import { launchChromium } from './browser';
import { eventually, keptByPage, signInAs, startConsoleServer } from './console-harness';
import { KeycloakLogin, realmSites } from './keycloak';

/**
 * The intake flow in a real browser against the real services, signed in through Keycloak: Harbor's intake
 * coordinator receives a referral, registers the client, submits a screening (its band and urgent flag shown
 * back), records the ASAM assessment (the level it supports shown back), admits the client to a track, and
 * finds them in the census. The client's name and birth date go in request bodies only: no URL asked for, no
 * address and no browser storage holds them.
 *
 * Its own system and a console server on 5173 (the realm's other redirect address), so it runs beside the daily
 * workflow's spec (console.browser-spec.ts, on 4173) without sharing anything but Keycloak.
 */
const CONSOLE_PORT = 5173;
const CONSOLE = `http://127.0.0.1:${CONSOLE_PORT}`;
const ZONE = 'America/New_York';
/** The client, as the coordinator types them: a name found nowhere else in the system. */
const GIVEN = 'Wren';
const FAMILY = 'Ostrander';
const BORN = '1986-07-14';
const PRIVATE = /Wren|Ostrander|1986-07-14/;

let keycloak: LocalKeycloak;
let system: TestSystem;
let server: ChildProcess;
let browser: Browser;
const seen: string[] = [];
let page: Page | undefined;

/** Harbor Clinic and an adult IOP track in scheduling, made with the network administrator's own token. */
async function seed(): Promise<void> {
  const harbor = realmSites()['harbor'] ?? '';
  const admin = await new KeycloakLogin(keycloak, 'network.admin').api(system.system.urls.scheduling);
  await admin.put(`/sites/${harbor}`, { name: 'Harbor Clinic', timeZone: ZONE, closures: [], active: true });
  await admin.post(`/sites/${harbor}/tracks`, {
    name: 'Adult SUD IOP',
    levelOfCare: '2.1',
    population: 'adult',
    modality: 'in-person',
    weeklyPattern: [{ weekday: 'monday', start: '18:00', minutes: 180, sessionType: 'process-group' }],
    active: true,
  });
}

beforeAll(async () => {
  const port = process.env['KEYCLOAK_PORT'] === undefined ? undefined : Number(process.env['KEYCLOAK_PORT']);
  keycloak = (await ensureKeycloak({ port, timeoutMs: 8 * 60_000 })).keycloak;
  system = await startTestSystem('intake_console', {
    AUTH_ISSUER: keycloak.issuer,
    AUTH_JWKS_URL: keycloak.jwksUrl,
  });
  const logDir = join(workspaceRoot(), '.infra', 'e2e', system.run);
  mkdirSync(logDir, { recursive: true });
  server = await startConsoleServer({
    port: CONSOLE_PORT,
    issuer: keycloak.issuer,
    urls: system.system.urls,
    logFile: join(logDir, 'console.log'),
  });
  await seed();
  browser = await launchChromium();
}, 600_000);

afterEach(async () => {
  // A picture of where a failed step stood.
  if (page !== undefined && !page.isClosed()) {
    await page
      .screenshot({ path: join(workspaceRoot(), '.infra', 'e2e', system.run, 'last-intake.png') })
      .catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await system?.stop();
}, 120_000);

it('an intake coordinator takes a referral to an admission and finds the client in the census', async () => {
  const counselorId = realmStaff().accounts.find((a) => a.username === 'harbor.counselor1')?.id ?? '';
  const signedIn = await signInAs(browser, {
    consoleUrl: CONSOLE,
    username: 'harbor.intake',
    path: '/intake',
    seen,
    logDir: join(workspaceRoot(), '.infra', 'e2e', system.run),
  });
  page = signedIn.page;
  const p = signedIn.page;
  // Each step waits on the services and Kafka of a loaded machine.
  p.setDefaultTimeout(60_000);

  // Referral: sent with the keyboard.
  const referral = p.getByRole('form', { name: 'New referral' });
  await referral.getByLabel('Source').selectOption('physician');
  await referral.getByLabel('Referred by').fill('Dr. Imani Lane');
  await referral.getByLabel('Organization').fill('Mercy Hospital');
  await referral.getByLabel('Organization').press('Enter');

  // Client.
  const client = p.getByRole('form', { name: 'Register the client' });
  await client.getByLabel('Given name').fill(GIVEN);
  await client.getByLabel('Family name').fill(FAMILY);
  await client.getByLabel('Date of birth').fill(BORN);
  await client.getByLabel('Time zone').fill(ZONE);
  await client.getByRole('button', { name: 'Register client' }).click();

  // Screening: PHQ-9 with item 9 answered, banded by intake and flagged.
  const screening = p.getByRole('form', { name: 'Submit a screening' });
  await screening.waitFor();
  for (const [i, value] of ['2', '2', '2', '1', '1', '1', '1', '1', '1'].entries()) {
    await screening.getByLabel(`Item ${i + 1}`, { exact: true }).fill(value);
  }
  await screening.getByRole('button', { name: 'Submit screening' }).click();
  await p.getByText('PHQ-9 scored 12: moderate — urgent: self harm risk').waitFor();
  await p.getByRole('table', { name: 'Screenings' }).getByText('Self harm risk').waitFor();
  await p.getByRole('button', { name: 'Continue to assessment' }).click();

  // Assessment: the level the ratings support, placed at 2.1 for the track the clinic has.
  const assessment = p.getByRole('form', { name: 'ASAM assessment' });
  for (const [i, rating] of ['1', '0', '2', '2', '2', '2'].entries()) {
    await assessment.getByLabel(new RegExp(`^${i + 1}\\. `)).selectOption(rating);
  }
  await assessment.getByLabel('Placed at another level').selectOption('2.1');
  await assessment.getByLabel('Reason for the placement').selectOption('clinical-judgement');
  await assessment.getByRole('button', { name: 'Record assessment' }).click();
  const supported = await p.getByTestId('assessment-result').textContent();
  expect(supported).toMatch(/The ASAM ratings support level [\d.]+ \(.+@\d+\); placed at level 2\.1/);
  await p.getByRole('button', { name: 'Continue to admission' }).click();

  // Admission: the track (intake learns it from scheduling's events: refused as unknown until it has).
  const admission = p.getByRole('form', { name: 'Admit the client' });
  await admission.getByLabel('Program track').selectOption({ label: 'Adult SUD IOP · level 2.1 · adult' });
  await admission.getByLabel('Primary counselor (staff id)').fill(counselorId);
  const admitted = p.getByRole('status', { name: 'Admitted' });
  await eventually(
    'the admission',
    async () => {
      if ((await admitted.count()) > 0) return true;
      await admission.getByRole('button', { name: 'Admit' }).click();
      await admitted.or(p.getByRole('alert', { name: 'The client was not admitted' })).waitFor();
      return (await admitted.count()) > 0 ? true : undefined;
    },
    90_000,
  );
  expect(await admitted.textContent()).toMatch(/Admitted at level 2\.1 \(adult\)/);

  // The census lists the new client at their level and track.
  await admitted.getByRole('link', { name: 'Open the census' }).click();
  const group = p.getByRole('region', { name: 'Level 2.1 · Adult SUD IOP' });
  await group.getByRole('link', { name: `${FAMILY}, ${GIVEN}` }).waitFor();

  const kept = await keptByPage(p);
  expect(kept.local).toEqual([]);
  expect(kept.sessionAndAddress).not.toMatch(PRIVATE);
  expect(kept.sessionAndAddress).not.toMatch(/access_token|eyJ/);
  await signedIn.context.close();
}, 300_000);

it('no request the console made carried the client’s name or birth date', () => {
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((url) => PRIVATE.test(decodeURIComponent(url)))).toEqual([]);
});
