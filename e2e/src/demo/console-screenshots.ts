/**
 * `npm run console:screenshots` while `npm run demo` runs: signs in to the demo's staff console in headless
 * Chromium as the demo logins and writes the README's pictures of the main screens to docs/images/:
 * Today with a roster, a session's attendance and group note, the census, a client's chart (Harbor's counselor)
 * and the review queue (Harbor's supervisor). The demo's cohort has synthetic names only ("Harbor, Client1").
 *
 *   npm run console:screenshots -- [--date=YYYY-MM-DD] [--out=DIR]
 *
 * `--date` picks the day of the Today picture (default: the browser's today; on a weekend the demo's tracks
 * meet on no day, so name a weekday). Nothing is written to the demo: the screens are only looked at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { workspaceRoot } from '@stepwise/infra';
import { launchChromium, signInAsDemoLogin } from '../console/browser';
import { CONSOLE_URL } from './console-tool';

const VIEWPORT = { width: 1280, height: 900 };
const WAIT = { timeout: 90_000 };

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Until every section of the screen has loaded (each shows its own "Loading …" spinner meanwhile). */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle', WAIT);
  await page.waitForFunction(`document.querySelector('[aria-label^="Loading"]') === null`, undefined, WAIT);
}

async function signedIn(browser: Browser, path: string, username: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  say(`Signed in as ${await signInAsDemoLogin(page, `${CONSOLE_URL}${path}`, username, WAIT.timeout)}`);
  return page;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const date = option('date');
  const out = option('out') ?? join(workspaceRoot(), 'docs', 'images');
  mkdirSync(out, { recursive: true });
  const shoot = async (page: Page, name: string): Promise<void> => {
    await settled(page);
    const path = join(out, `console-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    say(`Wrote ${path}`);
  };

  const browser = await launchChromium();
  try {
    // A counselor's day: the first group with its roster open, then its attendance and group note.
    const counselor = await signedIn(
      browser,
      `/today${date === undefined ? '' : `?date=${date}`}`,
      'harbor.counselor1',
    );
    const group = counselor.locator('main section[aria-label]').first();
    await group.waitFor(WAIT);
    await group.getByRole('button', { name: 'Roster' }).click();
    await group.getByRole('table', { name: 'Roster' }).waitFor(WAIT);
    await shoot(counselor, 'today');
    // In-app navigation throughout: a reload would sign in again (tokens live in the page's memory only).
    await group.getByRole('link', { name: 'Take attendance' }).click();
    await counselor.getByRole('table', { name: 'Attendance' }).waitFor(WAIT);
    await shoot(counselor, 'attendance-note');

    await counselor
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: 'Census' })
      .click();
    const clients = counselor.getByRole('table', { name: /^Clients at / }).first();
    await clients.waitFor(WAIT);
    await shoot(counselor, 'census');
    await clients.getByRole('link').first().click();
    await counselor.waitForURL('**/clients/**', WAIT);
    await shoot(counselor, 'client-chart');

    // The supervisor's review queue (approving is the browser test's part, not a picture's).
    const supervisor = await signedIn(browser, '/reviews', 'harbor.supervisor');
    await supervisor.getByRole('heading', { name: 'Review queue' }).waitFor(WAIT);
    await shoot(supervisor, 'review-queue');
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say(`The screenshots failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
