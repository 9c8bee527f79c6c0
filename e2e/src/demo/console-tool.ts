import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { infraDir, portOpen, waitFor, workspaceRoot } from '@stepwise/infra';
import { terminate } from '../system/system';
import { type OpsTool } from './ops-tools';

/** The console's address: the one the realm's `stepwise-console` client allows as a redirect. */
export const CONSOLE_PORT = 4173;
export const CONSOLE_URL = `http://127.0.0.1:${CONSOLE_PORT}`;

/**
 * The staff console's server (apps/console/server, built by scripts/demo.sh) in front of the demo's services,
 * signing people in at `issuer`. `logins` are printed under its address (the realm's demo accounts).
 */
export function consoleTool(issuer: string, logins: readonly string[], password: string): OpsTool {
  return {
    name: 'Staff console',
    async start(urls, say) {
      const main = join(workspaceRoot(), 'dist', 'apps', 'console', 'main.js');
      if (!existsSync(main)) throw new Error(`${main} is missing: npx nx run console:build`);
      if (await portOpen('127.0.0.1', CONSOLE_PORT)) {
        throw new Error(`port ${CONSOLE_PORT} is taken (the realm allows sign-in back to this address only)`);
      }
      const logDir = infraDir('services');
      mkdirSync(logDir, { recursive: true });
      const logFile = join(logDir, 'console.log');
      const log = createWriteStream(logFile);
      const server = spawn(process.execPath, [main], {
        env: {
          PATH: process.env['PATH'],
          CONSOLE_PORT: String(CONSOLE_PORT),
          OIDC_ISSUER: issuer,
          OIDC_CLIENT_ID: 'stepwise-console',
          INTAKE_URL: urls.intake,
          SCHEDULING_URL: urls.scheduling,
          SESSIONS_URL: urls.sessions,
          NOTIFICATIONS_URL: urls.notifications,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout.pipe(log);
      server.stderr.pipe(log);
      try {
        await waitFor(
          `the console on ${CONSOLE_URL} (log: ${logFile})`,
          async () => {
            if (server.exitCode !== null) throw new Error(`the console exited; see ${logFile}`);
            return (await fetch(`${CONSOLE_URL}/healthz`).catch(() => undefined))?.ok === true;
          },
          60_000,
        );
      } catch (error) {
        await terminate(server);
        throw error;
      }
      say(`Staff console on ${CONSOLE_URL} (log: ${logFile})`);
      return {
        name: 'Staff console',
        links: [`${CONSOLE_URL}/today   (sign in as a demo login, password ${password})`, ...logins],
        stop: async () => {
          await terminate(server);
        },
      };
    },
  };
}
