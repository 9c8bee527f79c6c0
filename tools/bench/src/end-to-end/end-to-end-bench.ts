/**
 * End-to-end messaging benchmark: a use case commits a domain row, an event travels over Kafka, a consumer
 * in another process applies it by inserting an effect row. Two paths, same events, same broker, same run,
 * one after the other (never concurrently):
 *   - Stepwise: UnitOfWork (row + outbox event in one transaction) -> OutboxRelay -> EventConsumer (inbox);
 *   - the NestJS peer: row inserted, then ClientKafka.emit awaited in the request -> @EventPattern handler
 *     inserting the effect, without inbox.
 * Measures, in each of a few rounds that alternate the paths, saturated throughput (N events from the first
 * request to the last effect), commit -> effect latency at a fixed rate, and (to show which side limits the
 * throughput) the consumer alone draining N queued events; compares the medians.
 * Targets: Stepwise >= 1.0x the peer's throughput; Stepwise p99 <= 50 ms at 200 events/s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type EventPayload, Topics, examplePayload } from '@stepwise/contracts';
import { bootstrapDatabase, dropDatabase, workspaceRoot } from '@stepwise/infra';
import { runMigrations } from '@stepwise/platform';
import { Client } from 'pg';
import { median, percentile } from '../stats';
import { type BenchPath, type Committed, wallNow } from './bench-path';
import { BenchTables1700000000000, type PathName, SCHEMA } from './bench-tables';
import { startNestPeerPath } from './nest-peer-path';
import { type WritePath, startStepwisePath } from './stepwise-path';

export interface EndToEndOptions {
  readonly env: Record<string, string>;
  /** Events per saturated round. */
  readonly events: number;
  readonly rounds: number;
  /** Requests in flight at once during a saturated round (an HTTP load generator's connections). */
  readonly clients: number;
  readonly rate: number;
  readonly seconds: number;
  /** Partitions the Stepwise consumer processes at once (the peer keeps Nest's default of one). */
  readonly concurrency: number;
  readonly warmup: number;
  readonly relayBatchSize: number;
  /** How the Stepwise use case writes its row and event (`runStatement` by default). */
  readonly writePath: WritePath;
}

const PARTITIONS = 12;
const POOL_SIZE = 10; // DATABASE_POOL_SIZE's default, for every process of both paths

interface Throughput {
  readonly eventsPerSecond: number;
  /** Requests completed per second (where the producing side alone would stop). */
  readonly requestsPerSecond: number;
}

interface Latency {
  readonly breakdown: Breakdown;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly measured: number;
  readonly sent: number;
}

/**
 * Where commit -> effect goes, per stage (p50 of the events of one latency run, ms): the writer's commit to
 * the path handing the event to the broker (Stepwise: the wake-up and the relay's read; the peer: nothing,
 * it emits at once), the broker's acknowledgement, the consumer receiving it (the broker, the fetch), and the
 * handler's effect insert.
 */
const STAGES = ['commit -> send', 'send -> ack', 'ack -> handler', 'handler -> effect'] as const;
type Breakdown = Record<(typeof STAGES)[number], number>;

interface Effects {
  readonly rows: number;
  readonly distinct: number;
  readonly expected: number;
}

interface ChildConsumer {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a consumer script in a process of its own and waits for its READY line. */
async function startChild(script: string, env: Record<string, string>): Promise<ChildConsumer> {
  const root = workspaceRoot();
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, script)], {
    cwd: root,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: join(root, 'tsconfig.scripts.json'),
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // A benchmark that dies must not leave its consumers running (and connected to its database).
  const orphaned = (): void => void child.kill('SIGKILL');
  process.once('exit', orphaned);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', orphaned);
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'READY') resolve();
        else console.log(`  [${script}] ${line}`);
      }
    });
    void exited.then((code) => reject(new Error(`${script} exited (${String(code)}) before it was ready`)));
  });
  return {
    process: child,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function runEndToEnd(options: EndToEndOptions): Promise<boolean> {
  // kafkajs warns once per producer that v2 changed its default partitioner; both paths use the new default.
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  const loadAtStart = loadavg()[0] ?? 0;
  const brokers = (options.env['KAFKA_BROKERS'] ?? '').split(',');
  const adminUrl = options.env['POSTGRES_ADMIN_URL'] ?? '';
  const id = randomBytes(3).toString('hex');
  const database = `stepwise_bench_e2e_${id}`;
  const [db] = await bootstrapDatabase(adminUrl, database, [SCHEMA]);
  if (db === undefined) throw new Error('no sessions schema');
  await runMigrations(db.migrationUrl, 'bench', { schema: SCHEMA, migrations: [BenchTables1700000000000] });

  const prefix = `bench-e2e.${id}.`;
  const stepwiseTopic = `${prefix}${Topics.SessionsEvents}`;
  const peerTopic = `${prefix}peer.sessions.events`;
  const deadLetterTopic = `${prefix}bench.dlq`;
  const kafka = new Kafka({ clientId: 'bench-e2e', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [stepwiseTopic, peerTopic, deadLetterTopic].map((topic) => ({
      topic,
      numPartitions: PARTITIONS,
      replicationFactor: 1,
    })),
  });

  const monitor = new Client({ connectionString: db.url });
  await monitor.connect();
  const consumers: Partial<Record<PathName, ChildConsumer>> = {};
  const paths: BenchPath[] = [];
  const clientIds = Array.from({ length: 1000 }, () => randomUUID());
  let sequence = 0;
  const nextPayload = (): EventPayload<'SessionAttended'> =>
    examplePayload('SessionAttended', {
      attendanceId: randomUUID(),
      clientId: clientIds[sequence++ % clientIds.length] ?? '',
    });

  const common = { KAFKA_BROKERS: brokers.join(','), DATABASE_URL: db.url, POOL_SIZE: String(POOL_SIZE) };
  const startConsumer = (path: PathName): Promise<ChildConsumer> =>
    path === 'stepwise'
      ? startChild('stepwise-consumer.ts', {
          ...common,
          TOPIC: stepwiseTopic,
          TOPIC_PREFIX: prefix,
          GROUP_ID: `${prefix}stepwise`,
          DEAD_LETTER_TOPIC: deadLetterTopic,
          CONCURRENCY: String(options.concurrency),
        })
      : startChild('nest-peer-consumer.ts', { ...common, TOPIC: peerTopic, GROUP_ID: `${prefix}peer` });

  const effectCount = async (path: PathName): Promise<number> => {
    const { rows } = await monitor.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${SCHEMA}".effects WHERE path = $1`,
      [path],
    );
    return rows[0]?.n ?? 0;
  };

  /** Waits until `committed` all have effects, then returns each event's first effect time. */
  const awaitEffects = async (
    path: PathName,
    before: number,
    committed: readonly Committed[],
  ): Promise<{ at: Map<string, number>; effects: Effects }> => {
    const deadline = Date.now() + 120_000 + committed.length * 10;
    while ((await effectCount(path)) < before + committed.length && Date.now() < deadline) await sleep(100);
    const { rows } = await monitor.query<{ event_id: string; at: number }>(
      `SELECT event_id, (extract(epoch FROM applied_at) * 1000)::float8 AS at
         FROM "${SCHEMA}".effects WHERE event_id = ANY($1::uuid[])`,
      [committed.map((c) => c.eventId)],
    );
    const at = new Map<string, number>();
    for (const row of rows) at.set(row.event_id, Math.min(at.get(row.event_id) ?? Infinity, row.at));
    return { at, effects: { rows: rows.length, distinct: at.size, expected: committed.length } };
  };

  /** VACUUM is the owner's (autovacuum's, in production); each measurement starts from clean tables. */
  const vacuum = async (): Promise<void> => {
    const owner = new Client({ connectionString: db.migrationUrl });
    await owner.connect();
    for (const table of ['outbox', 'inbox', 'attendance', 'effects']) {
      await owner.query(`VACUUM ANALYZE "${SCHEMA}"."${table}"`);
    }
    await owner.end();
  };

  /** Issues `events` requests, `options.clients` at a time. */
  const issue = async (
    path: BenchPath,
    events: number,
  ): Promise<{ committed: Committed[]; start: number; done: number }> => {
    const committed: Committed[] = [];
    let issued = 0;
    const start = wallNow();
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        while (issued < events) {
          issued += 1;
          committed.push(await path.request(nextPayload()));
        }
      }),
    );
    return { committed, start, done: wallNow() };
  };

  /** The p50 of each stage (see STAGES) over the events of one latency run. */
  const stagesOf = async (path: BenchPath, committed: readonly Committed[]): Promise<Breakdown> => {
    const { rows } = await monitor.query<{ event_id: string; received: number; applied: number }>(
      `SELECT event_id, (extract(epoch FROM received_at) * 1000)::float8 AS received,
              (extract(epoch FROM applied_at) * 1000)::float8 AS applied
         FROM "${SCHEMA}".effects WHERE event_id = ANY($1::uuid[])`,
      [committed.map((c) => c.eventId)],
    );
    const effect = new Map(rows.map((row) => [row.event_id, row]));
    const stages: number[][] = STAGES.map(() => []);
    for (const c of committed) {
      const send = path.sends.get(c.eventId);
      const row = effect.get(c.eventId);
      if (send === undefined || row === undefined) continue;
      const marks = [c.committedAt, send.sent, send.acked, row.received, row.applied];
      // Clocks of different processes: a stage can read slightly negative; it counts as zero.
      STAGES.forEach((_, i) => stages[i]?.push(Math.max(0, (marks[i + 1] ?? 0) - (marks[i] ?? 0))));
    }
    return Object.fromEntries(
      STAGES.map((name, i) => [
        name,
        percentile(
          [...(stages[i] ?? [])].sort((a, b) => a - b),
          50,
        ),
      ]),
    ) as Breakdown;
  };

  const saturate = async (path: BenchPath, events: number): Promise<Throughput & { effects: Effects }> => {
    const before = await effectCount(path.name);
    const { committed, start, done } = await issue(path, events);
    const { at, effects } = await awaitEffects(path.name, before, committed);
    const last = Math.max(...at.values());
    return {
      eventsPerSecond: events / ((last - start) / 1000),
      requestsPerSecond: events / ((done - start) / 1000),
      effects,
    };
  };

  /**
   * The consumer alone: its process is stopped while `events` queue up on the topic, then started again;
   * from its first effect to its last.
   */
  const drainBacklog = async (
    path: BenchPath,
    events: number,
  ): Promise<{ rate: number; effects: Effects }> => {
    await consumers[path.name]?.stop();
    const before = await effectCount(path.name);
    const { committed } = await issue(path, events);
    // The peer's requests return once the broker has their events; the relay publishes after commit.
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const { rows } = await monitor.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${SCHEMA}".outbox WHERE published_at IS NULL`,
      );
      if ((rows[0]?.n ?? 0) === 0) break;
      await sleep(100);
    }
    consumers[path.name] = await startConsumer(path.name);
    const { at, effects } = await awaitEffects(path.name, before, committed);
    const times = [...at.values()];
    return { rate: events / ((Math.max(...times) - Math.min(...times)) / 1000), effects };
  };

  const steady = async (path: BenchPath): Promise<Latency & { effects: Effects }> => {
    const before = await effectCount(path.name);
    const total = options.rate * options.seconds;
    const interval = 1000 / options.rate;
    const requests: Promise<Committed>[] = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 0) await sleep(wait);
      requests.push(path.request(nextPayload()));
    }
    const committed = await Promise.all(requests);
    const { at, effects } = await awaitEffects(path.name, before, committed);
    const breakdown = await stagesOf(path, committed);
    // The consumer can apply an event before the writer's own promise callback has run: never negative.
    const sorted = committed
      .map((c) => Math.max(0, (at.get(c.eventId) ?? Infinity) - c.committedAt))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    return {
      breakdown,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
      measured: sorted.length,
      sent: total,
      effects,
    };
  };

  try {
    consumers.stepwise = await startConsumer('stepwise');
    consumers.peer = await startConsumer('peer');
    const stepwise = await startStepwisePath({
      url: db.url,
      brokers,
      topicPrefix: prefix,
      poolSize: POOL_SIZE,
      relayBatchSize: options.relayBatchSize,
      writePath: options.writePath,
    });
    paths.push(stepwise);
    const peer = await startNestPeerPath({
      url: db.url,
      brokers,
      topic: peerTopic,
      groupId: `${prefix}peer-app`,
      poolSize: POOL_SIZE,
    });
    paths.push(peer);

    console.log(`  ${stepwise.label}; ${peer.label}`);
    console.log(
      `End-to-end benchmark: ${options.events} events per round, ${options.clients} requests in flight, then ${options.rate} events/s for ${options.seconds} s; ${options.rounds} rounds alternating the paths. ${PARTITIONS} partitions, pool ${POOL_SIZE}, Stepwise consumer concurrency ${options.concurrency}.`,
    );
    for (const path of [stepwise, peer]) {
      const warm = await saturate(path, options.warmup);
      console.log(`  warm-up ${path.name}: ${warm.eventsPerSecond.toFixed(0)} events/s (not counted)`);
    }

    const rates: Record<PathName, number[]> = { stepwise: [], peer: [] };
    const requestRates: Record<PathName, number[]> = { stepwise: [], peer: [] };
    const latencies: Record<PathName, Latency[]> = { stepwise: [], peer: [] };
    const drains: Record<PathName, number[]> = { stepwise: [], peer: [] };
    const effects: Record<PathName, Effects[]> = { stepwise: [], peer: [] };
    for (let round = 1; round <= options.rounds; round++) {
      // Alternate which path goes first, so neither always runs on the other's leftovers.
      for (const path of round % 2 === 1 ? [stepwise, peer] : [peer, stepwise]) {
        await vacuum();
        const result = await saturate(path, options.events);
        rates[path.name].push(result.eventsPerSecond);
        requestRates[path.name].push(result.requestsPerSecond);
        effects[path.name].push(result.effects);
        await vacuum();
        const latency = await steady(path);
        latencies[path.name].push(latency);
        effects[path.name].push(latency.effects);
        await vacuum();
        const drain = await drainBacklog(path, options.events);
        drains[path.name].push(drain.rate);
        effects[path.name].push(drain.effects);
        console.log(
          `  round ${round} ${path.name.padEnd(8)}: ${result.eventsPerSecond.toFixed(0).padStart(5)} events/s end to end (requests ${result.requestsPerSecond.toFixed(0)}/s, consumer alone ${drain.rate.toFixed(0)}/s); at ${options.rate}/s p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms; load ${(loadavg()[0] ?? 0).toFixed(1)}`,
        );
        console.log(
          `      p50 per stage: ${STAGES.map((name) => `${name} ${latency.breakdown[name].toFixed(1)}`).join(', ')} ms`,
        );
      }
    }

    const summary = (name: PathName) => ({
      rate: median(rates[name]),
      requests: median(requestRates[name]),
      drain: median(drains[name]),
      p50: median(latencies[name].map((l) => l.p50)),
      p99: median(latencies[name].map((l) => l.p99)),
      max: Math.max(...latencies[name].map((l) => l.max)),
    });
    const s = summary('stepwise');
    const p = summary('peer');
    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    const exact = (list: readonly Effects[]): string => {
      const rows = list.reduce((sum, e) => sum + e.rows, 0);
      const distinct = list.reduce((sum, e) => sum + e.distinct, 0);
      const expected = list.reduce((sum, e) => sum + e.expected, 0);
      return `${rows} rows / ${distinct} of ${expected} events`;
    };
    const row = (name: string, a: string, b: string): string =>
      `  ${name.padEnd(40)} | ${a.padEnd(36)} | ${b}`;
    console.log();
    console.log(row('', 'Stepwise (outbox -> inbox)', 'NestJS peer (emit -> @EventPattern)'));
    console.log(
      row(
        `throughput (median of ${options.rounds})`,
        `${s.rate.toFixed(0)} events/s`,
        `${p.rate.toFixed(0)} events/s`,
      ),
    );
    console.log(row('  requests completed', `${s.requests.toFixed(0)}/s`, `${p.requests.toFixed(0)}/s`));
    console.log(
      row(
        `  consumer alone, backlog of ${options.events}`,
        `${s.drain.toFixed(0)}/s`,
        `${p.drain.toFixed(0)}/s`,
      ),
    );
    console.log(row(`commit -> effect p50 at ${options.rate}/s (median)`, ms(s.p50), ms(p.p50)));
    console.log(row(`commit -> effect p99 at ${options.rate}/s (median)`, ms(s.p99), ms(p.p99)));
    console.log(row(`commit -> effect max at ${options.rate}/s (of all)`, ms(s.max), ms(p.max)));
    for (const stage of STAGES) {
      const medianOf = (name: PathName): string => ms(median(latencies[name].map((l) => l.breakdown[stage])));
      console.log(row(`  p50 ${stage} (median)`, medianOf('stepwise'), medianOf('peer')));
    }
    console.log(row('effects (all phases)', exact(effects.stepwise), exact(effects.peer)));
    console.log(
      row('exactly-once effects', 'yes: inbox in the effect transaction', 'no: at-least-once, no inbox'),
    );

    console.log(
      `  machine: ${cpus().length} cores, 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end (other work on the machine shows here)`,
    );
    const ratio = s.rate / p.rate;
    const p99 = s.p99;
    const allApplied =
      latencies.stepwise.every((l) => l.measured === l.sent) &&
      effects.stepwise.every((e) => e.rows === e.expected && e.distinct === e.expected);
    const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
    console.log();
    console.log(
      `  ${verdict(ratio >= 1)} throughput Stepwise / peer = ${ratio.toFixed(2)}x (target >= 1.00x; ${ratio >= 1 ? `${((ratio - 1) * 100).toFixed(0)}% above` : `${((1 - ratio) * 100).toFixed(0)}% short`})`,
    );
    console.log(
      `  ${verdict(p99 <= 50)} p99 commit -> effect at ${options.rate}/s = ${p99.toFixed(1)} ms (target <= 50 ms; ${p99 <= 50 ? `${(50 - p99).toFixed(1)} ms to spare` : `${(p99 - 50).toFixed(1)} ms over`})`,
    );
    console.log(`  ${verdict(allApplied)} every Stepwise event applied exactly once`);
    return ratio >= 1 && p99 <= 50 && allApplied;
  } finally {
    for (const path of paths) await path.close().catch((error: unknown) => console.error(error));
    for (const child of Object.values(consumers)) await child.stop();
    await monitor.end();
    await admin.deleteTopics({ topics: [stepwiseTopic, peerTopic, deadLetterTopic] }).catch(() => undefined);
    await admin.disconnect();
    await dropDatabase(adminUrl, database);
  }
}
