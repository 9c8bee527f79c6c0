import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { workspaceRoot } from '@stepwise/infra';
import { type RunningSystem } from '../system/system';
import { DEMO_PASSWORD } from './keycloak';

/** Polls until `read` answers something (not undefined), at most `ms`; its last error is in the timeout's message. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined>,
  ms: number,
): Promise<T> {
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

/**
 * The built console's server (dist/apps/console/server) in front of a running system, on a port the realm
 * allows as a redirect address (4173 or 5173); its output goes to `logFile`. Answers once it is healthy.
 */
export async function startConsoleServer(options: {
  port: number;
  issuer: string;
  urls: RunningSystem['urls'];
  logFile: string;
}): Promise<ChildProcess> {
  const log = createWriteStream(options.logFile);
  const server = spawn(process.execPath, [join(workspaceRoot(), 'dist', 'apps', 'console', 'main.js')], {
    env: {
      PATH: process.env['PATH'],
      CONSOLE_PORT: String(options.port),
      OIDC_ISSUER: options.issuer,
      OIDC_CLIENT_ID: 'stepwise-console',
      INTAKE_URL: options.urls.intake,
      SCHEDULING_URL: options.urls.scheduling,
      SESSIONS_URL: options.urls.sessions,
      NOTIFICATIONS_URL: options.urls.notifications,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  await eventually(
    'the console',
    async () => ((await fetch(`http://127.0.0.1:${options.port}/healthz`)).ok ? true : undefined),
    30_000,
  );
  return server;
}

/**
 * A fresh browser profile signed in as a demo login on Keycloak's own sign-in page. Every URL the page asks for
 * is added to `seen`; what the page logged and every refusal go to `<logDir>/browser-<username>.log`.
 */
export async function signInAs(
  browser: Browser,
  options: { consoleUrl: string; username: string; path: string; seen: string[]; logDir: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 960 } });
  const page = await context.newPage();
  page.on('request', (request) => options.seen.push(request.url()));
  const log = createWriteStream(join(options.logDir, `browser-${options.username}.log`));
  page.on('console', (message) => log.write(`${message.type()}: ${message.text()}\n`));
  page.on('response', (response) => {
    if (response.status() >= 400)
      log.write(`${response.status()} ${response.request().method()} ${response.url()}\n`);
  });
  await page.goto(`${options.consoleUrl}${options.path}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#username').fill(options.username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('#kc-login').click();
  await page.getByTestId('signed-in-as').waitFor();
  return { context, page };
}

/** What the page keeps: local storage entries, then session storage entries and the address. */
export async function keptByPage(page: Page): Promise<{ local: string[]; sessionAndAddress: string }> {
  // Evaluated in the page (the test itself has no DOM types).
  const storage = (await page.evaluate(`({
    local: Object.keys(localStorage).map((k) => k + '=' + localStorage.getItem(k)),
    session: Object.keys(sessionStorage).map((k) => k + '=' + sessionStorage.getItem(k)),
  })`)) as { local: string[]; session: string[] };
  return { local: storage.local, sessionAndAddress: [...storage.session, page.url()].join('\n') };
}
