import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@stepwise/infra';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, driven headless (toolbox.md: no sandbox as root, no GPU, no background traffic). */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: scripts/test.sh installs Debian's chromium (apt-get install chromium)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** Whether a command answers (used to say plainly what is missing). */
export const chromiumVersion = (): string =>
  spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim();

/**
 * Signs a page in to the console at `url` as a demo login, through Keycloak's own sign-in page, as a person
 * would (the console's "Sign in", then the realm's form); resolves once the console shows who is signed in.
 */
export async function signInAsDemoLogin(
  page: Page,
  url: string,
  username: string,
  timeout = 60_000,
): Promise<string> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('#kc-login').click();
  const who = page.getByTestId('signed-in-as');
  await who.waitFor({ timeout });
  return (await who.textContent())?.trim() ?? '';
}
