/**
 * `npm run demo:check-console` while `npm run demo` runs: signs in to the demo's staff console as a demo
 * counselor in headless Chromium (Keycloak's own sign-in page) and reads today's groups of their site, as a
 * person would. Prints what the page showed; exits 1 when the sign-in or the day's groups fail.
 *
 *   npm run demo:check-console -- [username] [--date=YYYY-MM-DD]
 *
 * Today is the browser's day; on a weekend the demo's tracks meet on no day, so `--date` names another.
 */
import { join } from 'node:path';
import { infraDir } from '@stepwise/infra';
import { launchChromium, signInAsDemoLogin } from '../console/browser';
import { CONSOLE_URL } from './console-tool';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const username = args.find((a) => !a.startsWith('--')) ?? 'harbor.counselor1';
  const date = args.find((a) => a.startsWith('--date='))?.slice('--date='.length);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 960 } });
    const who = await signInAsDemoLogin(
      page,
      `${CONSOLE_URL}/today${date === undefined ? '' : `?date=${date}`}`,
      username,
    );
    say(`Signed in: ${who}`);
    const heading = page.getByRole('heading', { name: /^(Today|Sessions) · / });
    await heading.waitFor({ timeout: 60_000 });
    say(`Page: ${(await heading.textContent())?.trim() ?? ''}`);
    // Each group of the day is a section named by its session type, time and room.
    const groups = page.locator('main section[aria-label]');
    await groups
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(() => undefined);
    const names = await groups.evaluateAll((sections) =>
      sections.map((s) => s.getAttribute('aria-label') ?? ''),
    );
    const shot = join(infraDir('services'), `console-check-${username}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    say(`Screenshot: ${shot}`);
    if (names.length === 0) {
      say(`No groups on the page (${(await page.locator('main').textContent()) ?? ''})`);
      return 1;
    }
    say(`${names.length} groups of the day:`);
    for (const name of names) say(`  ${name}`);
    return 0;
  } finally {
    await browser.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`The check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
