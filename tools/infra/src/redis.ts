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
const pidFile = (): string => join(redisHome(), 'redis.pid');

/** Starts a throw-away Redis (nothing kept on disk) recorded by PID under .infra/redis. */
export async function startLocalRedis(port: number): Promise<void> {
  mkdirSync(redisHome(), { recursive: true });
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
    redisHome(),
    '--pidfile',
    pidFile(),
    '--logfile',
    join(redisHome(), 'redis.log'),
  ]);
  await waitFor(`Redis on 127.0.0.1:${port}`, () => redisAnswers(`redis://127.0.0.1:${port}`), 20_000);
}

/** Stops the Redis this tool started, if any. */
export async function stopLocalRedis(): Promise<boolean> {
  if (!existsSync(pidFile())) return false;
  const pid = Number(readFileSync(pidFile(), 'utf8').trim());
  if (!isAlive(pid) || !commandLine(pid).includes('redis-server')) return false;
  await stopPid(pid, 10_000);
  return true;
}
