import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { commandLine, isAlive, run, stopPid, waitFor } from './process-utils';
import { infraDir } from './workspace';

/** Sends PING over RESP and expects PONG: enough to know a Redis answers, without a client library. */
export function redisAnswers(redisUrl: string): Promise<boolean> {
  const url = new URL(redisUrl);
  return new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

const redisHome = (): string => infraDir('redis');
const pidFile = (home = redisHome()): string => join(home, 'redis.pid');

/**
 * Starts a throw-away Redis (nothing kept on disk) recorded by PID under `home` (.infra/redis for the shared
 * one; the fault run keeps one of its own elsewhere). Returns the PID.
 */
export async function startLocalRedis(port: number, home = redisHome()): Promise<number> {
  mkdirSync(home, { recursive: true });
  run('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    home,
    '--pidfile',
    pidFile(home),
    '--logfile',
    join(home, 'redis.log'),
  ]);
  await waitFor(`Redis on 127.0.0.1:${port}`, () => redisAnswers(`redis://127.0.0.1:${port}`), 20_000);
  return Number(readFileSync(pidFile(home), 'utf8').trim());
}

/** Stops the Redis this tool started under `home`, if any. */
export async function stopLocalRedis(home = redisHome()): Promise<boolean> {
  if (!existsSync(pidFile(home))) return false;
  const pid = Number(readFileSync(pidFile(home), 'utf8').trim());
  if (!isAlive(pid) || !commandLine(pid).includes('redis-server')) return false;
  await stopPid(pid, 10_000);
  return true;
}
