import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { type Browser, chromium } from 'playwright-core';

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
