import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ServiceName } from '@stepwise/contracts';
import { ensureHaproxy, freePort, mintToken } from '@stepwise/infra';
import { Client } from 'pg';
import { type FaultSystem } from './fault-system';
import { LedgerClient, type LedgerEntry } from './load';
import { type Random } from './random';

export interface RollingRestartResult {
  readonly service: ServiceName;
  readonly replicasReplaced: number;
  readonly requests: number;
  readonly accepted: number;
  /** Requests that did not get a 2xx (no client retries here: the balancer alone must hide the rollout). */
  readonly failed: number;
  readonly failures: readonly string[];
  readonly acceptedMissing: number;
  readonly durationMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * HAProxy in front of a service's replicas, health-checking `/health/ready` every 500 ms: a replica that
 * reports not ready (as one does from the moment it receives SIGTERM) gets no new requests, and a request
 * whose connection is refused or closed unanswered is retried on the other replica.
 */
class Balancer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly statsUrl: string,
  ) {}

  static async start(runDir: string, servers: readonly { name: string; port: number }[]): Promise<Balancer> {
    const haproxy = ensureHaproxy();
    const port = await freePort();
    const statsPort = await freePort();
    const config = join(runDir, 'haproxy.cfg');
    writeFileSync(
      config,
      [
        'global',
        '  maxconn 512',
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 30s',
        '  timeout server 30s',
        // A slow answer to a health check is not a failed one: on a loaded machine the replica that stays up
        // took over 500 ms to answer `/health/ready`, was marked down with the other one restarting, and
        // HAProxy answered 503 itself. A replica stopping answers 503 at once; a dead one refuses at once.
        '  timeout check 5s',
        '  retries 3',
        // A refused or dropped connection goes to another server (the request carries an Idempotency-Key,
        // so a retry after an unanswered send cannot apply it twice).
        '  option redispatch 1',
        '  retry-on conn-failure empty-response 503',
        '  option http-server-close',
        'frontend api',
        `  bind 127.0.0.1:${port}`,
        '  default_backend replicas',
        'backend replicas',
        '  balance roundrobin',
        '  option httpchk GET /health/ready',
        '  http-check expect status 200',
        ...servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check inter 500ms fall 1 rise 2`),
        'frontend stats',
        `  bind 127.0.0.1:${statsPort}`,
        '  stats enable',
        '  stats uri /stats',
        '',
      ].join('\n'),
    );
    const log = createWriteStream(join(runDir, 'haproxy.log'));
    const child = spawn(haproxy.command, ['-db', '-f', config], {
      env: { ...process.env, ...haproxy.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const balancer = new Balancer(
      child,
      `http://127.0.0.1:${port}`,
      `http://127.0.0.1:${statsPort}/stats;csv`,
    );
    await balancer.waitUntil(servers.length);
    return balancer;
  }

  /** The servers HAProxy currently routes to. */
  async upServers(): Promise<number> {
    const csv = await fetch(this.statsUrl).then((r) => r.text());
    return csv
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('replicas,') &&
          !line.startsWith('replicas,BACKEND') &&
          line.split(',')[17] === 'UP',
      ).length;
  }

  async waitUntil(up: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`HAProxy exited with ${this.child.exitCode}`);
      if ((await this.upServers().catch(() => -1)) === up) return;
      await sleep(200);
    }
    throw new Error(`HAProxy did not see ${up} healthy servers within ${timeoutMs} ms`);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

/**
 * Replaces each replica of `service` in turn behind HAProxy (SIGTERM, wait for the exit, start the new one,
 * wait until the balancer routes to it again) while steady load runs through the balancer without client
 * retries. Passes with 0 failed requests and every accepted write present.
 */
export async function rollingRestart(
  system: FaultSystem,
  runDir: string,
  random: Random,
  siteId: string,
  networkId: string,
): Promise<RollingRestartResult> {
  const service: ServiceName = 'intake';
  const replicas = system.replicasOf(service);
  const balancer = await Balancer.start(
    runDir,
    replicas.map((r) => ({ name: `${service}${r.index}`, port: r.port })),
  );
  const started = Date.now();
  // One attempt per request: a failure the balancer lets through counts.
  const client = new LedgerClient({
    intake: [balancer.url],
    scheduling: [],
    workers: 2,
    requestDeadlineMs: 0,
    attemptTimeoutMs: 10_000,
    random,
  });
  let stopped = false;
  const workers = Array.from({ length: 2 }, async () => {
    while (!stopped) {
      const sub = random.uuid();
      const token = {
        sub,
        value: await mintToken({
          sub,
          roles: ['intake-coordinator'],
          sites: [siteId],
          network: networkId,
          ttlSeconds: 600,
        }),
      };
      await client.call('intake', 'rolling', 'referral', token, 'POST', '/referrals', {
        siteId,
        source: 'physician',
        reasonCode: 'substance-use',
        referrer: { name: 'Referrer R', organization: 'Community Health', phone: '+15550100998' },
      });
      await sleep(20);
    }
  });
  try {
    await sleep(2000);
    for (const replica of replicas) {
      await system.stopReplica(replica);
      await system.startReplica(replica);
      await balancer.waitUntil(replicas.length);
      await sleep(1000);
    }
    await sleep(2000);
  } finally {
    stopped = true;
    await Promise.all(workers);
    await balancer.stop();
  }
  const ledger: LedgerEntry[] = client.ledger;
  const accepted = ledger.filter((e) => e.outcome === 'accepted');
  const failed = ledger.filter((e) => e.outcome !== 'accepted');
  const db = new Client({ connectionString: system.databaseAdminUrl });
  await db.connect();
  let present: Set<string>;
  try {
    const { rows } = await db.query<{ id: string }>(
      'SELECT id::text AS id FROM intake.referrals WHERE id = ANY($1::uuid[])',
      [accepted.map((e) => e.id)],
    );
    present = new Set(rows.map((r) => r.id));
  } finally {
    await db.end();
  }
  return {
    service,
    replicasReplaced: replicas.length,
    requests: ledger.length,
    accepted: accepted.length,
    failed: failed.length,
    failures: failed.slice(0, 5).map((e) => `${e.status ?? ''} ${e.attempts.map((a) => a.answer).join(',')}`),
    acceptedMissing: accepted.filter((e) => !present.has(e.id ?? '')).length,
    durationMs: Date.now() - started,
  };
}
