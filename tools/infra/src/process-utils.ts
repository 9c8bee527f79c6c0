import { spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { type AddressInfo, createConnection, createServer } from 'node:net';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true; `what` names the condition in the timeout error. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(delay);
    delay = Math.min(delay * 2, 1000);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A free TCP port on loopback (a service under test, a fault run's own servers, the demo's Prometheus when 9090 is taken). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The command line of a running process (Linux), used to make sure a recorded PID is still ours. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Starts a long-running process that outlives this one, with output appended to `logFile` (and `env` added). */
export function spawnDetached(
  command: string,
  args: string[],
  logFile: string,
  cwd: string,
  env?: Readonly<Record<string, string>>,
): number {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ['ignore', out, out],
    ...(env === undefined ? {} : { env: { ...process.env, ...env } }),
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`Could not start ${command}`);
  return child.pid;
}

/** Runs a command to completion; throws with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

export function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** Stops a process we started: SIGTERM, then SIGKILL if it has not ended within `graceMs`. */
export async function stopPid(pid: number, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  try {
    await waitFor(`process ${pid} to exit`, () => Promise.resolve(!isAlive(pid)), graceMs);
  } catch {
    process.kill(pid, 'SIGKILL');
    await waitFor(`process ${pid} to die`, () => Promise.resolve(!isAlive(pid)), 5000);
  }
}

/**
 * The variables that move a process's clock when the caller runs under libfaketime (`LD_PRELOAD` and
 * `FAKETIME*`), else none. Services started with exactly their own environment get them too, so a suite run at
 * another system date — to show that no outcome depends on it — moves the services' clocks with its own.
 */
export function clockOverrideEnv(): Record<string, string> {
  if (process.env['FAKETIME'] === undefined) return {};
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && (entry[0] === 'LD_PRELOAD' || entry[0].startsWith('FAKETIME')),
    ),
  );
}
