import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_JWKS_PORT,
  type LocalIdentity,
  authDir,
  ensureSigningKey,
  jwksFile,
  localIdentity,
  recordJwksPort,
} from './identity';
import { commandLine, isAlive, portOpen, spawnDetached, stopPid, waitFor } from './process-utils';
import { workspaceRoot } from './workspace';

const pidFile = (): string => authDir('jwks.pid');

/** True when `jwksUrl` answers with a key set. */
export async function jwksAnswers(jwksUrl: string): Promise<boolean> {
  try {
    const response = await fetch(jwksUrl, { signal: AbortSignal.timeout(1_000) });
    const body = (await response.json()) as { keys?: unknown };
    return response.ok && Array.isArray(body.keys);
  } catch {
    return false;
  }
}

/** Whether the JWKS at `jwksUrl` publishes exactly the local key set (and not, say, another checkout's). */
async function servesLocalKeys(jwksUrl: string): Promise<boolean> {
  try {
    const served = (await (await fetch(jwksUrl, { signal: AbortSignal.timeout(1_000) })).json()) as unknown;
    const local = JSON.parse(readFileSync(jwksFile(), 'utf8')) as unknown;
    return JSON.stringify(served) === JSON.stringify(local);
  } catch {
    return false;
  }
}

function runningPid(): number | undefined {
  if (!existsSync(pidFile())) return undefined;
  const pid = Number(readFileSync(pidFile(), 'utf8').trim());
  if (Number.isInteger(pid) && isAlive(pid) && commandLine(pid).includes('jwks-server')) return pid;
  rmSync(pidFile(), { force: true });
  return undefined;
}

/**
 * Makes the local key pair exist and its JWKS answer on loopback: reuses a server that already publishes
 * these keys, otherwise starts a detached one recorded by PID (stopped by `infra:down`). When the preferred
 * port is held by something else (typically another checkout's JWKS, with other keys), the next free port
 * from 9400 on is used and recorded, so tokens and services of this checkout agree on it.
 */
export async function ensureJwksServer(
  preferred: LocalIdentity,
): Promise<{ status: 'reused' | 'started'; identity: LocalIdentity }> {
  await ensureSigningKey();
  const ports = [preferred.port, ...Array.from({ length: 20 }, (_, i) => DEFAULT_JWKS_PORT + i)];
  for (const port of [...new Set(ports)]) {
    const identity = localIdentity(port);
    if (await servesLocalKeys(identity.jwksUrl)) {
      recordJwksPort(port);
      return { status: 'reused', identity };
    }
    if (await portOpen('127.0.0.1', port)) continue;
    await startJwksServer(identity);
    recordJwksPort(port);
    return { status: 'started', identity };
  }
  throw new Error(`No free port for the local JWKS in ${DEFAULT_JWKS_PORT}-${DEFAULT_JWKS_PORT + 19}`);
}

async function startJwksServer(identity: LocalIdentity): Promise<void> {
  const root = workspaceRoot();
  const log = authDir('jwks-server.log');
  const pid = spawnDetached(
    process.execPath,
    [
      require.resolve('tsx/cli', { paths: [root] }),
      join(root, 'tools/infra/src/jwks-server.ts'),
      String(identity.port),
      identity.issuer,
      jwksFile(),
    ],
    log,
    root,
  );
  writeFileSync(pidFile(), String(pid));
  await waitFor(
    `the JWKS on ${identity.jwksUrl} (see ${log})`,
    async () => {
      if (!isAlive(pid)) throw new Error(`The JWKS server exited during start-up; see ${log}`);
      return servesLocalKeys(identity.jwksUrl);
    },
    20_000,
  );
}

/** Stops the JWKS server this tool started, if any. */
export async function stopJwksServer(): Promise<boolean> {
  const pid = runningPid();
  if (pid === undefined) return false;
  await stopPid(pid, 10_000);
  rmSync(pidFile(), { force: true });
  return true;
}
