import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Topics } from '@stepwise/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { type CheckResult, type PoisonRecord, check, consumerLag, gatherEvidence } from './checker';
import { type SmtpSink } from '../system/smtp-sink';
import { type FaultSystem } from './fault-system';
import { LedgerClient, runLoad, seedSite, waitForProjection } from './load';
import { Random } from './random';
import { type RollingRestartResult, rollingRestart } from './rolling-restart';
import { type Fault, type Profile, describeFault, faultSchedule } from './schedule';

/** What one injected fault cost: when it hit, and how long until every replica was ready and lag was 0. */
export interface FaultRecord {
  readonly fault: string;
  readonly at: number;
  /** ms from the fault to every replica answering ready again. */
  readonly readyMs: number;
  /** ms from the fault to the first moment the services' consumer groups had no lag (null: not seen). */
  lagZeroMs: number | null;
}

export interface FaultRunResult {
  readonly seed: number;
  readonly profile: string;
  readonly durationMs: number;
  readonly faults: readonly FaultRecord[];
  readonly counts: Readonly<Record<string, number>>;
  readonly check: CheckResult;
  readonly rollingRestart: RollingRestartResult;
  /** The checker run again on doctored evidence: it must report what was planted. */
  readonly negativeControl: {
    readonly planted: readonly string[];
    readonly reported: readonly string[];
    readonly passed: boolean;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await condition().catch(() => false)) return Date.now() - started;
    await sleep(everyMs);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Writes records no contract accepts straight to a care topic, as a faulty producer would: bytes that are
 * not JSON under a real event type, a payload missing its fields, and a record with no CloudEvents headers.
 */
async function writePoison(brokers: readonly string[]): Promise<PoisonRecord[]> {
  const kafka = new Kafka({ clientId: 'fault-poison', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const headers = (type: string) => ({
    ce_id: randomUUID(),
    ce_type: `care.intake.${type}.v1`,
    ce_source: 'stepwise/intake',
    ce_specversion: '1.0',
    ce_time: new Date().toISOString(),
    'content-type': 'application/json',
  });
  const records = [
    { key: randomUUID(), value: '{not json', headers: headers('ClientAdmitted') },
    {
      key: randomUUID(),
      value: JSON.stringify({ clientId: 'not-a-uuid' }),
      headers: headers('ClientAdmitted'),
    },
    { key: randomUUID(), value: JSON.stringify({ hello: 'world' }) },
  ];
  const poison: PoisonRecord[] = [];
  try {
    for (const record of records) {
      const [meta] = await producer.send({ topic: Topics.IntakeEvents, acks: -1, messages: [record] });
      if (meta === undefined) throw new Error('The broker did not acknowledge a poison record');
      poison.push({ topic: Topics.IntakeEvents, partition: meta.partition, offset: Number(meta.baseOffset) });
    }
  } finally {
    await producer.disconnect();
  }
  return poison;
}

/** Runs the load, the seeded faults and the checker on a started fault system. */
export async function faultRun(
  system: FaultSystem,
  profile: Profile,
  seed: number,
  runDir: string,
  mail: SmtpSink,
  log: (line: string) => void,
): Promise<FaultRunResult> {
  const started = Date.now();
  const random = new Random(seed);
  const loadRandom = new Random(seed + 1);
  const replicaUrls = (service: 'intake' | 'scheduling'): string[] =>
    system.replicasOf(service).map((r) => r.url);
  const client = new LedgerClient({
    intake: replicaUrls('intake'),
    scheduling: replicaUrls('scheduling'),
    workers: profile.workers,
    requestDeadlineMs: 45_000,
    attemptTimeoutMs: 8_000,
    random: loadRandom,
  });
  // The load's date is only data (admission dates): no outcome depends on it.
  const today = new Date().toISOString().slice(0, 10);
  const setup = await seedSite(client, loadRandom);
  // Before any journey (the warm-up's too): an urgent screening alerts the site's supervisor, whom
  // notifications learns from scheduling's reference topic, independently of intake's topic.
  const staffMs = await system.waitForStaffProjection(setup.siteId);
  await waitForProjection(client, setup, loadRandom, today);
  log(
    `  site seeded and projected (notifications knew its staff after ${staffMs} ms); load: ${profile.workers} journeys at a time`,
  );

  const brokers = [system.kafka.bootstrap];
  let loadStopped = false;
  const load = runLoad(client, setup, loadRandom, today, profile.workers, () => loadStopped);

  // Lag is sampled in the background: each fault's "lag 0" is the first zero after it.
  const lagZeroAt: number[] = [];
  let monitoring = true;
  const monitor = (async () => {
    while (monitoring) {
      if ((await consumerLag(brokers).catch(() => -1)) === 0) lagZeroAt.push(Date.now());
      await sleep(500);
    }
  })();

  const schedule = faultSchedule(profile, random);
  const records: FaultRecord[] = [];
  const poison: PoisonRecord[] = [];
  const counts: Record<string, number> = {};
  for (const fault of schedule) {
    await sleep(random.between(profile.gapSeconds[0], profile.gapSeconds[1]) * 1000);
    const at = Date.now();
    await inject(system, fault, random, poison);
    const readyMs =
      Date.now() -
      at +
      (await until('every replica ready', () => system.allReady(), 180_000).catch(async (error: Error) => {
        throw new Error(
          `${error.message} after ${describeFault(fault)}: ${(await system.notReady()).join('; ')}`,
        );
      }));
    records.push({ fault: describeFault(fault), at, readyMs, lagZeroMs: null });
    counts[fault.kind] = (counts[fault.kind] ?? 0) + 1;
    log(
      `  ${new Date(at).toISOString().slice(11, 19)} ${describeFault(fault).padEnd(24)} ready after ${readyMs} ms (${client.ledger.length} requests so far)`,
    );
  }
  loadStopped = true;
  await load;
  const loadEnded = Date.now();
  log(`  load stopped after ${client.ledger.length} requests; waiting for the system to settle`);
  // Settled: nothing left in any outbox, and no consumer lag, twice in a row.
  await until(
    'outboxes drained and consumers caught up',
    async () => (await quiet(system, brokers)) && (await sleep(1000), quiet(system, brokers)),
    240_000,
    1000,
  );
  monitoring = false;
  await monitor;
  log(`  settled in ${Date.now() - loadEnded} ms; checking`);
  for (const record of records) {
    const zero = lagZeroAt.find((t) => t >= record.at + record.readyMs);
    record.lagZeroMs = zero === undefined ? null : zero - record.at;
  }

  const stores = { databaseUrl: system.databaseAdminUrl, brokers };
  const evidence = await gatherEvidence(stores, client.ledger, poison, mail.received);
  const result = check(evidence);
  writeFileSync(join(runDir, 'ledger.json'), JSON.stringify(client.ledger));

  // Negative control: plant a fact published a second time under a new id (on the real topic) and an
  // accepted write the database does not hold (in a copy of the ledger); the same checker must report both.
  const planted = await plantDuplicate(brokers, evidence.records);
  const ghost = {
    ...client.ledger.find((e) => e.outcome === 'accepted' && e.step === 'screening'),
    id: randomUUID(),
  };
  // ... and a notification's e-mail received again under a new Message-ID, which no mailbox dedupe collapses.
  const mailed = mail.received.find((m) => m.notificationId !== undefined);
  const plantedMails =
    mailed === undefined ? [] : [{ ...mailed, messageId: `<${randomUUID()}@planted.invalid>` }];
  const doctored = await gatherEvidence(
    stores,
    [...client.ledger, ghost as (typeof client.ledger)[number]],
    poison,
    [...mail.received, ...plantedMails],
  );
  const control = check(doctored);
  const reported = control.violations.filter(
    (v) =>
      v.startsWith('facts published twice') ||
      v.startsWith('accepted writes missing') ||
      v.startsWith('e-mails delivered to the mailbox more than once'),
  );
  log('  rolling restart of intake behind HAProxy under steady load ...');
  const rolling = await rollingRestart(system, runDir, new Random(seed + 2), setup.siteId, setup.networkId);
  return {
    seed,
    profile: profile.name,
    rollingRestart: rolling,
    durationMs: Date.now() - started,
    faults: records,
    counts,
    check: result,
    negativeControl: {
      planted: [
        `${planted} published again under a new id`,
        `accepted screening ${ghost.id} not in the database`,
        `notification ${mailed?.notificationId ?? '(no e-mail received)'} e-mailed again under a new Message-ID`,
      ],
      reported,
      passed:
        control.figures.factsPublishedTwice > result.figures.factsPublishedTwice &&
        control.figures.acceptedMissing === result.figures.acceptedMissing + 1 &&
        mailed !== undefined &&
        control.figures.mailsDuplicated > result.figures.mailsDuplicated,
    },
  };
}

/** No unpublished outbox row in any schema, no consumer lag, and no notification due but not yet settled. */
async function quiet(system: FaultSystem, brokers: readonly string[]): Promise<boolean> {
  if ((await consumerLag(brokers)) !== 0) return false;
  if ((await system.unpublishedOutboxRows()) !== 0) return false;
  return (await system.pendingNotifications()) === 0;
}

/** Publishes a copy of one ClientAdmitted with a new event id (what a relay that re-creates ids would do). */
async function plantDuplicate(
  brokers: readonly string[],
  records: Awaited<ReturnType<typeof gatherEvidence>>['records'],
): Promise<string> {
  const original = records.find(
    (r) =>
      r.headers['ce_type'] === 'care.intake.ClientAdmitted.v1' && typeof r.data?.['episodeId'] === 'string',
  );
  if (original === undefined) throw new Error('No ClientAdmitted on the topic to plant a duplicate of');
  const kafka = new Kafka({ clientId: 'fault-control', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic: original.topic,
      acks: -1,
      messages: [
        {
          key: original.key,
          value: JSON.stringify(original.data),
          headers: { ...original.headers, ce_id: randomUUID() },
        },
      ],
    });
  } finally {
    await producer.disconnect();
  }
  return `ClientAdmitted ${String(original.data?.['episodeId'])}`;
}

async function inject(
  system: FaultSystem,
  fault: Fault,
  random: Random,
  poison: PoisonRecord[],
): Promise<void> {
  switch (fault.kind) {
    case 'kill-replica': {
      const replica = system.replicasOf(fault.service)[fault.replica];
      if (replica === undefined) throw new Error(`No replica ${fault.replica} of ${fault.service}`);
      await system.killReplica(replica);
      // Down for a moment, as long as a scheduler takes to start the replacement.
      await sleep(random.between(500, 2000));
      await system.startReplica(replica);
      return;
    }
    case 'kill-broker':
      return system.killBroker(random.between(1000, 4000));
    case 'pause-broker':
      return system.pauseBroker(random.between(5000, 10_000));
    case 'restart-postgres':
      return system.restartPostgres();
    case 'lose-redis':
      return system.loseRedis(random.between(500, 2000));
    case 'poison':
      poison.push(...(await writePoison([system.kafka.bootstrap])));
      return;
  }
}
