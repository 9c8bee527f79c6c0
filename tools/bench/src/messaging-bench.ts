/**
 * Messaging benchmark (publishing side), on the real broker and database, in one run:
 *   1. latency: events written through the Outbox at a steady 200 events/s, from commit to broker ack;
 *   2. ceiling vs relay, alternating for a few rounds: raw kafkajs batched produce of N 1 KB records
 *      (idempotent, acks=all, one request in flight), then the same N records as a committed outbox backlog
 *      published by the OutboxRelay; the medians are compared.
 *   3. writer: UnitOfWork transactions publishing one event each, 32 in flight, with the outbox NOTIFY trigger
 *      the services had (the baseline) and with the wake-up after commit they have now, alternating.
 * Prints the figures and checks them against the targets (drain >= 0.7x ceiling; p99 <= 25 ms).
 * Then the end-to-end benchmark against the NestJS peer (end-to-end/end-to-end-bench.ts).
 *
 *   npm run bench:messaging [-- --events 100000 --rate 200 --seconds 20 --rounds 3 --writes 3000 --writers 32]
 *   npm run bench:messaging -- --part e2e [--e2e-events 5000 --e2e-rounds 3 --clients 32 --concurrency 4
 *     --write statement|transaction]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { Topics, encodeEvent, examplePayload } from '@stepwise/contracts';
import { bootstrapDatabase, dropDatabase, ensureInfrastructure, KAFKA_VERSION } from '@stepwise/infra';
import {
  KafkajsProducer,
  Outbox,
  OutboxRelay,
  PgOutboxWakeUp,
  type RelayOptions,
  UnitOfWork,
  createOutboxNotifyTriggerV1,
  createOutboxTableV1,
} from '@stepwise/messaging';
import { dataSourceOptions, runMigrations } from '@stepwise/platform';
import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { runEndToEnd } from './end-to-end/end-to-end-bench';
import { type WritePath } from './end-to-end/stepwise-path';
import { median, percentile } from './stats';
import { writerThroughput } from './writer-bench';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    batch: { type: 'string', default: '500' },
    writes: { type: 'string', default: '3000' },
    writers: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    part: { type: 'string', default: 'all' },
    'e2e-events': { type: 'string', default: '5000' },
    'e2e-rounds': { type: 'string', default: '3' },
    clients: { type: 'string', default: '32' },
    concurrency: { type: 'string', default: '4' }, // CONSUMER_CONCURRENCY's default
    warmup: { type: 'string', default: '1000' },
    write: { type: 'string', default: 'statement' }, // the Stepwise use case: runStatement, or run (transaction)
  },
});
const PART = args.part;
if (!['all', 'publish', 'e2e'].includes(PART)) throw new Error('--part is all, publish or e2e');
if (!['statement', 'transaction'].includes(args.write))
  throw new Error('--write is statement or transaction');
const WRITE_PATH = args.write as WritePath;
const EVENTS = Number(args.events);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const BATCH = Number(args.batch);
const ROUNDS = Number(args.rounds);
const SCHEMA = 'sessions';
const quiet = {
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

class BenchOutbox1700000000000 implements MigrationInterface {
  name = 'BenchOutbox1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxTableV1(queryRunner, SCHEMA);
    // The trigger the services had until OutboxWakeUpAfterCommit: kept disabled, as the writer's baseline.
    await createOutboxNotifyTriggerV1(queryRunner, SCHEMA);
    await queryRunner.query(`ALTER TABLE "${SCHEMA}"."outbox" DISABLE TRIGGER "outbox_notify"`);
  }
  async down(): Promise<void> {
    // benchmark database only; dropped at the end
  }
}

/** A 1 KB record: real CloudEvents headers, a JSON value padded to 1,024 bytes. */
function oneKilobyteRecord(): { headers: Record<string, string>; value: string } {
  const encoded = encodeEvent('SessionAttended', examplePayload('SessionAttended'));
  const base = { ...(JSON.parse(encoded.value.toString()) as Record<string, unknown>), padding: '' };
  const padding = 1024 - Buffer.byteLength(JSON.stringify(base));
  return {
    headers: { ...encoded.headers },
    value: JSON.stringify({ ...base, padding: 'x'.repeat(Math.max(0, padding)) }),
  };
}

async function main(): Promise<void> {
  const env = await ensureInfrastructure(() => undefined);
  const published = PART === 'e2e' ? true : await publishingSide(env);
  const endToEnd =
    PART === 'publish'
      ? true
      : await runEndToEnd({
          env,
          events: Number(args['e2e-events']),
          rounds: Number(args['e2e-rounds']),
          clients: Number(args.clients),
          rate: RATE,
          seconds: SECONDS,
          concurrency: Number(args.concurrency),
          warmup: Number(args.warmup),
          relayBatchSize: BATCH,
          writePath: WRITE_PATH,
        });
  process.exitCode = published && endToEnd ? 0 : 1;
}

async function publishingSide(env: Record<string, string>): Promise<boolean> {
  const loadAtStart = loadavg()[0] ?? 0;
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
  const adminUrl = env['POSTGRES_ADMIN_URL'] ?? '';
  const database = `stepwise_bench_${randomBytes(3).toString('hex')}`;
  const [db] = (await bootstrapDatabase(adminUrl, database)).filter((d) => d.service === SCHEMA);
  if (db === undefined) throw new Error('no sessions schema');
  await runMigrations(db.migrationUrl, 'bench', { schema: SCHEMA, migrations: [BenchOutbox1700000000000] });
  const dataSource = new DataSource(
    dataSourceOptions(db.url, { schema: SCHEMA, migrations: [], applicationName: 'bench', poolSize: 8 }),
  );
  await dataSource.initialize();

  const prefix = `bench.${randomUUID().slice(0, 8)}.`;
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const rawTopic = `${prefix}raw`;
  const relayTopic = `${prefix}${Topics.SessionsEvents}`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [rawTopic, relayTopic].map((topic) => ({ topic, numPartitions: 12, replicationFactor: 1 })),
  });

  const record = oneKilobyteRecord();
  const keys = Array.from({ length: 1000 }, () => randomUUID());
  console.log(
    `Messaging benchmark: ${EVENTS} records of ${Buffer.byteLength(record.value)} B (+ ${JSON.stringify(record.headers).length} B headers), batches of ${BATCH}`,
  );

  // As in the services: the UnitOfWork wakes the relay after commit.
  const wakeUp = new PgOutboxWakeUp({ connectionString: db.url, schema: SCHEMA });
  try {
    const relayProducer = new KafkajsProducer({ clientId: 'bench-relay', brokers });
    const relayOptions = (holderId: string): RelayOptions => ({
      connectionString: db.url,
      schema: SCHEMA,
      holderId,
      batchSize: BATCH,
      pollIntervalMs: 250,
      leaseRetryMs: 1000,
      retentionMs: 3_600_000,
      topicPrefix: prefix,
    });

    // 1. Latency at a steady rate through the real write path (Outbox in a transaction), on an outbox in
    //    steady state (see docs/benchmarks.md for the tail right after a large backlog was drained).
    // Both ends are recorded per event id and joined afterwards: the relay can see a commit before the
    // writer's own promise callback runs.
    const committedAt = new Map<string, number>();
    const ackedAt = new Map<string, number>();
    const unitOfWork = new UnitOfWork(dataSource, new Outbox(SCHEMA), wakeUp);
    const latencyRelay = new OutboxRelay(relayOptions('bench-latency'), relayProducer, quiet, {
      published: (records) => {
        const now = performance.now();
        for (const r of records) ackedAt.set(r.id, now);
      },
    });
    latencyRelay.start();
    while (!latencyRelay.isLeader) await new Promise((r) => setTimeout(r, 20));
    const total = RATE * SECONDS;
    const interval = 1000 / RATE;
    const start = performance.now();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      writes.push(
        unitOfWork
          .run((tx) =>
            tx.publish(
              'SessionAttended',
              examplePayload('SessionAttended', { clientId: keys[i % keys.length] ?? '' }),
            ),
          )
          .then((message) => {
            committedAt.set(message.headers['ce_id'] ?? '', performance.now());
          }),
      );
    }
    await Promise.all(writes);
    const deadline = Date.now() + 30_000;
    while (ackedAt.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await latencyRelay.stop();
    const sorted = [...committedAt]
      .map(([id, committed]) => Math.max(0, (ackedAt.get(id) ?? Infinity) - committed))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    console.log(
      `  commit -> broker ack at ${RATE}/s: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms over ${sorted.length}/${total} events  (target p99 <= 25 ms)`,
    );

    // 2. Throughput, alternating the ceiling and the relay for ROUNDS rounds (a 2-core machine is noisy; the
    //    medians are compared).
    const rawRound = async (): Promise<number> => {
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      const begin = process.hrtime.bigint();
      for (let sent = 0; sent < EVENTS; sent += BATCH) {
        const size = Math.min(BATCH, EVENTS - sent);
        await producer.sendBatch({
          acks: -1,
          topicMessages: [
            {
              topic: rawTopic,
              messages: Array.from({ length: size }, (_, i) => ({
                key: keys[(sent + i) % keys.length] ?? '',
                value: record.value,
                headers: record.headers,
              })),
            },
          ],
        });
      }
      const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
      await producer.disconnect();
      return EVENTS / seconds;
    };
    const drainRound = async (round: number): Promise<number> => {
      await dataSource.query(
        `INSERT INTO "${SCHEMA}".outbox (id, aggregatetype, aggregateid, type, topic, payload, headers)
         SELECT gen_random_uuid(), 'client', ($1::text[])[1 + (g % $2)], 'care.sessions.SessionAttended.v1', $3, $4::jsonb, $5::jsonb
           FROM generate_series(1, $6) AS g`,
        [keys, keys.length, Topics.SessionsEvents, record.value, JSON.stringify(record.headers), EVENTS],
      );
      let published = 0;
      let drained: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (drained = resolve));
      const relay = new OutboxRelay(relayOptions(`bench-drain-${round}`), relayProducer, quiet, {
        published: (records) => {
          published += records.length;
          if (published >= EVENTS) drained();
        },
      });
      const begin = process.hrtime.bigint();
      relay.start();
      await done;
      const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
      await relay.stop();
      // Leave the next round a clean table, as a pruned outbox in production would be.
      await dataSource.query(`DELETE FROM "${SCHEMA}".outbox`);
      // VACUUM is the owner's to run (autovacuum's, in production), not the application role's.
      const owner = new Client({ connectionString: db.migrationUrl });
      await owner.connect();
      await owner.query(`VACUUM "${SCHEMA}".outbox`);
      await owner.end();
      return EVENTS / seconds;
    };
    const raw: number[] = [];
    const drain: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      raw.push(await rawRound());
      drain.push(await drainRound(round));
      console.log(
        `  round ${round}: raw kafkajs ${raw.at(-1)?.toFixed(0).padStart(6)} records/s, relay drain ${drain.at(-1)?.toFixed(0).padStart(6)} records/s`,
      );
    }
    await relayProducer.close();
    const rawRate = median(raw);
    const drainRate = median(drain);
    const ratio = drainRate / rawRate;
    console.log(
      `  raw kafkajs batched produce : ${rawRate.toFixed(0).padStart(7)} records/s (median of ${ROUNDS})`,
    );
    console.log(
      `  relay drain of the backlog  : ${drainRate.toFixed(0).padStart(7)} records/s (median of ${ROUNDS})`,
    );
    console.log(`  ratio relay / raw           : ${ratio.toFixed(2)}  (target >= 0.70)`);

    // 3. The writer alone, with the old trigger and with the wake-up after commit.
    const writer = await writerThroughput({
      dataSource,
      ownerUrl: db.migrationUrl,
      schema: SCHEMA,
      wakeUp,
      transactions: Number(args.writes),
      inFlight: Number(args.writers),
      rounds: ROUNDS,
      keys,
    });
    console.log(
      `  writer, ${args.writers} in flight, NOTIFY trigger (before): ${writer.trigger.toFixed(0).padStart(5)} tx/s (median of ${ROUNDS})`,
    );
    console.log(
      `  writer, ${args.writers} in flight, wake-up after commit   : ${writer.wakeUp.toFixed(0).padStart(5)} tx/s (median of ${ROUNDS}; ${(writer.wakeUp / writer.trigger).toFixed(2)}x)`,
    );
    console.log(
      `  machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Kafka ${KAFKA_VERSION} single node, PostgreSQL local; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
    );
    const ok = ratio >= 0.7 && p99 <= 25 && sorted.length === total;
    console.log(ok ? 'RESULT: targets met' : 'RESULT: targets MISSED');
    return ok;
  } finally {
    await wakeUp.close();
    await admin.deleteTopics({ topics: [rawTopic, relayTopic] }).catch(() => undefined);
    await admin.disconnect();
    await dataSource.destroy();
    await dropDatabase(adminUrl, database);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
