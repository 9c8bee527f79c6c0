/**
 * HTTP benchmark of the attendance write: `PUT /v1/occurrences/:id/attendance` through the real sessions
 * service (built, run from dist as production runs it: its bearer-token auth against the issuer's JWKS, the
 * Redis rate limit, site scope, the audit trail, the transaction with the outbox event, the relay publishing
 * to Kafka) against a NestJS peer on the framework's defaults (express) that verifies the same token the
 * same way and does one INSERT of an attendance row, in the same database. Both get the same load
 * generator (undici, N keep-alive connections, one request in flight on each), the same bodies and headers
 * (each request a distinct appointment, each with its own Idempotency-Key), after a warm-up, alternating
 * for a few rounds; medians are compared. Afterwards every write the service accepted must be in its
 * database exactly once. Exits 1 if Stepwise < 1.0x the peer's requests/s — counted until the progress
 * evaluations its writes left for after their commit are done too — or on any non-2xx answer.
 *
 *   npm run bench:http [-- --requests 2000 --rounds 3 --connections 32 --warmup 300 --profile DIR]
 *
 * Needs the infrastructure (`npm run infra:up`, then `source .infra/env.sh`) and the built service
 * (`npx nx run sessions:build`). `--profile DIR` runs the service under `node --cpu-prof` and writes its
 * CPU profile to DIR when it stops.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, type Producer, logLevel } from 'kafkajs';
import {
  ALL_TOPICS,
  AppointmentKind,
  type EncodedMessage,
  LevelOfCare,
  Modality,
  Population,
  SessionType,
  encodeEvent,
} from '@stepwise/contracts';
import {
  bootstrapDatabase,
  dropDatabase,
  freePort,
  mintToken,
  readEnvFile,
  withDatabase,
  workspaceRoot,
} from '@stepwise/infra';
import { Client } from 'pg';
import { median } from '../stats';
import { type LoadRequest, type LoadResult, drive } from './load';
import { peerTableStatements } from './peer-table';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '300' },
    profile: { type: 'string' },
  },
});
const REQUESTS = Number(args.requests);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const WARMUP = Number(args.warmup);
const POOL_SIZE = 10; // DATABASE_POOL_SIZE's default, for both processes
const GROUP_SIZE = 12; // seats per group occurrence, as the integration specs' groups
// The service runs on the real clock, so the seeded care is recent: admitted two days ago, in a three-hour
// group that started an hour ago. (Dates long past would make every write re-evaluate every week since.)
const HOUR = 3_600_000;
const NOW = Date.now();
const ADMITTED_AT = new Date(NOW - 48 * HOUR).toISOString();
const STARTS_AT = new Date(NOW - HOUR).toISOString();
const ENDS_AT = new Date(NOW + 2 * HOUR).toISOString();

type PathName = 'stepwise' | 'peer';

interface Seat {
  readonly clientId: string;
  readonly episodeId: string;
  readonly appointmentId: string;
  readonly occurrenceId: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const load = (): string => (loadavg()[0] ?? 0).toFixed(1);

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run \`npm run infra:up\`, then \`source .infra/env.sh\``);
  }
  return value;
}

async function waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** A child process; its output goes to `logFile`; a benchmark that dies takes it along. */
function spawnLogged(args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const orphaned = (): void => void child.kill('SIGKILL');
  process.once('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** The facts the service projects its roster from: the site, each client's admission and group seat. */
function seedMessages(
  siteId: string,
  seats: readonly Seat[],
): { site: EncodedMessage; admissions: EncodedMessage[]; appointments: EncodedMessage[] } {
  const counselor = randomUUID();
  const site = encodeEvent('SiteUpserted', {
    siteId,
    networkId: randomUUID(),
    name: 'Benchmark clinic',
    timeZone: 'America/Chicago',
    closures: [],
    active: true,
    updatedAt: '2025-01-01T00:00:00.000Z',
  });
  const admissions = seats.map((seat) =>
    encodeEvent('ClientAdmitted', {
      clientId: seat.clientId,
      episodeId: seat.episodeId,
      siteId,
      programTrackId: randomUUID(),
      levelOfCare: LevelOfCare.IntensiveOutpatient,
      population: Population.Adult,
      admittedAt: ADMITTED_AT,
      primaryCounselorId: counselor,
    }),
  );
  const appointments = seats.map((seat) =>
    encodeEvent('AppointmentScheduled', {
      clientId: seat.clientId,
      episodeId: seat.episodeId,
      appointmentId: seat.appointmentId,
      occurrenceId: seat.occurrenceId,
      startsAt: STARTS_AT,
      endsAt: ENDS_AT,
      kind: AppointmentKind.Group,
      sessionType: SessionType.ProcessGroup,
      siteId,
      modality: Modality.InPerson,
      facilitatorId: counselor,
    }),
  );
  return { site, admissions, appointments };
}

async function publish(
  producer: Producer,
  prefix: string,
  messages: readonly EncodedMessage[],
): Promise<void> {
  for (let i = 0; i < messages.length; i += 1000) {
    const batch = messages.slice(i, i + 1000);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...new Set(batch.map((m) => m.topic))].map((topic) => ({
        topic: `${prefix}${topic}`,
        messages: batch
          .filter((m) => m.topic === topic)
          .map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
      })),
    });
  }
}

async function countOf(client: Client, table: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? 0;
}

async function main(): Promise<boolean> {
  const loadAtStart = load();
  const root = workspaceRoot();
  const mainJs = join(root, 'dist/apps/sessions/main.js');
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run \`npx nx run sessions:build\` first`);
  const adminUrl = required('POSTGRES_ADMIN_URL');
  const brokers = required('KAFKA_BROKERS');
  const id = randomBytes(3).toString('hex');
  const database = `stepwise_bench_http_${id}`;
  const prefix = `bench-http.${id}.`;
  const logDir = join(tmpdir(), `stepwise-bench-http-${id}`);
  await import('node:fs/promises').then((fs) => fs.mkdir(logDir, { recursive: true }));

  const [db] = await bootstrapDatabase(adminUrl, database, ['sessions']);
  if (db === undefined) throw new Error('no sessions schema');
  const kafka = new Kafka({
    clientId: 'bench-http',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topics = ALL_TOPICS.map((t) => `${prefix}${t.name}`);
  await admin.createTopics({
    waitForLeaders: true,
    topics: ALL_TOPICS.map((t) => ({
      topic: `${prefix}${t.name}`,
      numPartitions: t.partitions,
      replicationFactor: 1,
    })),
  });
  const children: ChildProcess[] = [];
  const monitor = new Client({ connectionString: db.url });
  await monitor.connect();
  try {
    // The service's environment as production sets it: its documented defaults, then this run's places.
    const serviceEnv: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      ...readEnvFile(join(root, 'apps/sessions/.env.example')),
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      DATABASE_MIGRATION_URL: db.migrationUrl,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      REDIS_URL: required('REDIS_URL'),
      AUTH_ISSUER: required('AUTH_ISSUER'),
      AUTH_AUDIENCE: required('AUTH_AUDIENCE'),
      AUTH_JWKS_URL: required('AUTH_JWKS_URL'),
      AUTH_TOKEN_URL: required('AUTH_TOKEN_URL'),
      AUTH_CLIENT_SECRET: process.env['SESSIONS_CLIENT_SECRET'] ?? '',
      // The limiter still counts every request in Redis; one user sending thousands a minute must not be
      // refused, or the benchmark would measure 429s.
      RATE_LIMIT_REQUESTS: '100000000',
      // No periodic week sweep over the seeded episodes in the middle of a round.
      WEEK_CLOSE_INTERVAL_MS: '0',
    };
    const migrated = spawnLogged([mainJs, 'migrate'], serviceEnv, join(logDir, 'migrate.log'));
    const migrateCode = await new Promise<number | null>((resolve) => migrated.once('exit', resolve));
    if (migrateCode !== 0) throw new Error(`migrate failed: see ${logDir}/migrate.log`);

    const owner = new Client({ connectionString: withDatabase(adminUrl, database) });
    await owner.connect();
    for (const statement of peerTableStatements(db.appRole)) await owner.query(statement);
    await owner.end();

    const servicePort = await freePort();
    const profile = args.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${args.profile}`];
    const service = spawnLogged(
      [...profile, '--enable-source-maps', mainJs],
      { ...serviceEnv, PORT: String(servicePort) },
      join(logDir, 'sessions.log'),
    );
    children.push(service);
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    await waitFor(
      'the sessions service ready',
      () => fetch(`${serviceUrl}/health/ready`).then((r) => r.status),
      (status) => status === 200,
      120_000,
    );

    const peerPort = await new Promise<number>((resolve, reject) => {
      const peer = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'nest-peer-app.ts')], {
        cwd: root,
        env: {
          PATH: process.env['PATH'],
          NODE_ENV: 'production',
          TSX_TSCONFIG_PATH: join(root, 'tsconfig.scripts.json'),
          DATABASE_URL: db.url,
          POOL_SIZE: String(POOL_SIZE),
          AUTH_JWKS_URL: serviceEnv['AUTH_JWKS_URL'],
          AUTH_ISSUER: serviceEnv['AUTH_ISSUER'],
          AUTH_AUDIENCE: serviceEnv['AUTH_AUDIENCE'],
          AUTH_CLOCK_SKEW_SECONDS: serviceEnv['AUTH_CLOCK_SKEW_SECONDS'],
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(peer);
      const orphaned = (): void => void peer.kill('SIGKILL');
      process.once('exit', orphaned);
      peer.once('exit', (code) => {
        process.off('exit', orphaned);
        reject(new Error(`the peer exited (${String(code)}) before it was ready`));
      });
      let buffer = '';
      peer.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const ready = /READY (\d+)/.exec(buffer);
        if (ready !== null) resolve(Number(ready[1]));
      });
    });
    const peerUrl = `http://127.0.0.1:${peerPort}`;

    // One site; its clients seated GROUP_SIZE to a group occurrence; one seat per Stepwise request.
    const siteId = randomUUID();
    const total = 2 * WARMUP + ROUNDS * REQUESTS;
    // Listed occurrence by occurrence in turn: the requests in flight at once write to different groups. The
    // use case locks its occurrence's roster (FOR UPDATE), so two writes to one group wait for each other.
    const occurrences = Array.from({ length: Math.ceil(total / GROUP_SIZE) }, () => randomUUID());
    const seats: Seat[] = Array.from({ length: total }, (_, i) => ({
      ...newSeat(),
      occurrenceId: occurrences[i % occurrences.length] as string,
    }));
    const seedStart = performance.now();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const { site, admissions, appointments } = seedMessages(siteId, seats);
    // Admissions first: a seat whose episode sessions does not know yet is retried with back-off.
    await publish(producer, prefix, [site, ...admissions]);
    await waitFor(
      'the admissions projected',
      () => countOf(monitor, 'sessions.episodes'),
      (n) => n >= total,
      600_000,
    );
    await publish(producer, prefix, appointments);
    await producer.disconnect();
    await waitFor(
      'the seats projected',
      () => countOf(monitor, 'sessions.session_records'),
      (n) => n >= total,
      600_000,
    );
    console.log(
      `  seeded 1 site, ${total} clients in ${Math.ceil(total / GROUP_SIZE)} group occurrences through the service's consumer in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const token = await mintToken({
      sub: `bench-counselor-${id}`,
      roles: ['counselor'],
      sites: [siteId],
      ttlSeconds: 3600,
    });
    const requestOf = (seat: Seat): LoadRequest => ({
      path: `/v1/occurrences/${seat.occurrenceId}/attendance`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ entries: [{ appointmentId: seat.appointmentId, status: 'present' }] }),
    });
    // Each path gets its own seats (the peer's rows go to its own table), the same shape of request.
    let used = 0;
    const take = (n: number): Seat[] => seats.slice(used, (used += n));
    const accepted: Seat[] = [];
    const run = async (path: PathName, batch: readonly Seat[]): Promise<LoadResult> => {
      const result = await drive(
        path === 'stepwise' ? serviceUrl : peerUrl,
        batch.map(requestOf),
        CONNECTIONS,
      );
      if (path === 'stepwise') for (const index of result.accepted) accepted.push(batch[index] as Seat);
      return result;
    };
    const peerSeats = (n: number): Seat[] =>
      Array.from({ length: n }, () => ({ ...newSeat(), occurrenceId: randomUUID() }));

    console.log(
      `HTTP benchmark, the attendance write: ${REQUESTS} requests per round, ${CONNECTIONS} connections, ${ROUNDS} rounds alternating the paths after ${WARMUP} warm-up requests each; pool ${POOL_SIZE}. Load average ${loadAtStart} at the start.`,
    );
    // The service answers before the episodes' progress is evaluated (after the commit, in the background):
    // that work is the service's too. After each of its rounds the backlog is waited out before anything else
    // runs, and the rate counting that wait is the one judged.
    const sustained: number[] = [];
    const backlog = async (): Promise<number> => {
      const { rows } = await monitor.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM sessions.evaluations_due',
      );
      return rows[0]?.n ?? 0;
    };
    for (const path of ['stepwise', 'peer'] as const) {
      const warm = await run(path, path === 'stepwise' ? take(WARMUP) : peerSeats(WARMUP));
      console.log(`  warm-up ${path}: ${warm.requestsPerSecond.toFixed(0)} requests/s (not counted)`);
    }
    take(WARMUP); // the peer's share of the warm-up seats stays unused on the service
    await waitFor('the warm-up evaluations', backlog, (n) => n === 0, 300_000);
    const results: Record<PathName, LoadResult[]> = { stepwise: [], peer: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const path of round % 2 === 1
        ? (['stepwise', 'peer'] as const)
        : (['peer', 'stepwise'] as const)) {
        const result = await run(path, path === 'stepwise' ? take(REQUESTS) : peerSeats(REQUESTS));
        results[path].push(result);
        const failures = Object.entries(result.failures)
          .map(([status, n]) => `${status} x${n}`)
          .join(', ');
        console.log(
          `  round ${round} ${path.padEnd(8)}: ${result.requestsPerSecond.toFixed(0).padStart(5)} requests/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.ok} 2xx, ${result.failed} other${failures === '' ? '' : ` (${failures})`}; load ${load()}`,
        );
        if (path !== 'stepwise') continue;
        const left = await backlog();
        const started = performance.now();
        await waitFor('the evaluations due', backlog, (n) => n === 0, 300_000);
        const drainSeconds = (performance.now() - started) / 1000;
        const requests = result.ok + result.failed;
        sustained.push(requests / (requests / result.requestsPerSecond + drainSeconds));
        console.log(
          `  ${''.padEnd(17)} ${left} episodes' evaluations left at the end, done ${drainSeconds.toFixed(1)} s later: ${(sustained.at(-1) ?? 0).toFixed(0)} requests/s with them`,
        );
      }
    }

    // Every write the service accepted: its attendance row exactly once, first revision, and its event.
    const ids = accepted.map((seat) => seat.appointmentId);
    const { rows: written } = await monitor.query<{ rows: number; distinct: number; first: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT appointment_id)::int AS distinct,
              count(*) FILTER (WHERE revision = 1)::int AS first
         FROM sessions.attendance WHERE appointment_id = ANY($1::uuid[])`,
      [ids],
    );
    const { rows: all } = await monitor.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sessions.attendance',
    );
    const { rows: events } = await monitor.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sessions.outbox WHERE type = 'care.sessions.SessionAttended.v1'`,
    );
    const check = written[0] ?? { rows: 0, distinct: 0, first: 0 };
    const exactlyOnce =
      check.rows === ids.length &&
      check.distinct === ids.length &&
      check.first === ids.length &&
      all[0]?.n === ids.length &&
      events[0]?.n === ids.length;

    const summary = (path: PathName) => ({
      rate: median(results[path].map((r) => r.requestsPerSecond)),
      p50: median(results[path].map((r) => r.p50)),
      p99: median(results[path].map((r) => r.p99)),
      failed: results[path].reduce((sum, r) => sum + r.failed, 0),
      ok: results[path].reduce((sum, r) => sum + r.ok, 0),
    });
    const s = { ...summary('stepwise'), rate: median(sustained), answered: summary('stepwise').rate };
    const p = summary('peer');
    const row = (name: string, a: string, b: string): string =>
      `  ${name.padEnd(28)} | ${a.padEnd(34)} | ${b}`;
    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    console.log();
    console.log(row('', 'Stepwise sessions service', 'NestJS peer (express, JWT + INSERT)'));
    console.log(row(`requests/s (median of ${ROUNDS})`, s.answered.toFixed(0), p.rate.toFixed(0)));
    console.log(row('… with evaluations done', s.rate.toFixed(0), p.rate.toFixed(0)));
    console.log(row('latency p50 (median)', ms(s.p50), ms(p.p50)));
    console.log(row('latency p99 (median)', ms(s.p99), ms(p.p99)));
    console.log(
      row('answers (all rounds)', `${s.ok} 2xx, ${s.failed} other`, `${p.ok} 2xx, ${p.failed} other`),
    );
    console.log(
      row(
        'accepted writes in the db',
        `${check.rows} rows, ${check.distinct} distinct, ${events[0]?.n ?? 0} events of ${ids.length}`,
        '',
      ),
    );
    console.log(
      `  machine: ${cpus().length} cores, 1-minute load average ${loadAtStart} at the start, ${load()} at the end (other work on the machine shows here)`,
    );
    const ratio = s.rate / p.rate;
    const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
    console.log();
    console.log(
      `  ${verdict(ratio >= 1)} requests/s Stepwise / peer = ${ratio.toFixed(2)}x (target >= 1.00x; ${ratio >= 1 ? `${((ratio - 1) * 100).toFixed(0)}% above` : `${((1 - ratio) * 100).toFixed(0)}% short`})`,
    );
    console.log(`  ${verdict(s.failed === 0 && p.failed === 0)} every answer 2xx on both paths`);
    console.log(
      `  ${verdict(exactlyOnce)} every accepted Stepwise write in the database exactly once, with its event`,
    );
    return ratio >= 1 && s.failed === 0 && p.failed === 0 && exactlyOnce;
  } finally {
    for (const child of children.reverse()) await stop(child);
    await monitor.end();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await dropDatabase(adminUrl, database);
    if (args.profile !== undefined) console.log(`  CPU profile of the service in ${args.profile}`);
    console.log(`  service log: ${logDir}/sessions.log`);
  }
}

function newSeat(): Omit<Seat, 'occurrenceId'> {
  return { clientId: randomUUID(), episodeId: randomUUID(), appointmentId: randomUUID() };
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
