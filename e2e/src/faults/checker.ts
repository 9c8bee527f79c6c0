import {
  CONSUMED_TOPICS,
  CARE_TOPICS,
  SERVICES,
  type ServiceName,
  deadLetterTopic,
} from '@stepwise/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { type LedgerEntry, type Step } from './load';

/*
 * The independent checker. It shares nothing with the services but the contract (topic names): it reads the
 * databases with plain SQL, the topics with its own kafkajs consumer, and judges them against the load
 * generator's ledger — what the clients were told — never against what the services say about themselves.
 */

/** One record as read from a topic. */
export interface TopicRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON value, or undefined when it is not JSON. */
  readonly data: Record<string, unknown> | undefined;
}

/** A record written straight to a care topic that no contract accepts. */
export interface PoisonRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** What the checker reads: the ledger, the poison it was told about, and the system's stores. */
export interface Evidence {
  readonly ledger: readonly LedgerEntry[];
  readonly poison: readonly PoisonRecord[];
  /** Rows by step: the id and the creating principal of every record of the journeys' kinds. */
  readonly rows: Readonly<Record<Step, readonly { id: string; sub: string }[]>>;
  /** `<service>.outbox`: event id → sequence. */
  readonly outbox: ReadonlyMap<string, number>;
  /** Inbox rows: consumer → event ids. */
  readonly inbox: Readonly<Record<string, readonly string[]>>;
  readonly records: readonly TopicRecord[];
  /** Notifications' rows (ids and states only). */
  readonly notifications: readonly NotificationRow[];
  /** Messages the SMTP sink received, by their ids. */
  readonly mails: readonly ReceivedMail[];
}

/** One message as the SMTP sink received it: ids only. */
export interface ReceivedMail {
  readonly messageId: string | undefined;
  /** The notification the message names in its own header, independently of its Message-ID. */
  readonly notificationId: string | undefined;
}

export interface NotificationRow {
  readonly id: string;
  readonly dedupeKey: string;
  readonly kind: string;
  readonly triggerEventId: string;
  readonly status: string;
  readonly channel: string | null;
}

/**
 * Which event types each consumer applies, of those the journeys cause: the behaviour the services promise
 * (docs/architecture.md), stated here on its own so a consumer that silently stops applying one shows up.
 */
export const APPLIED_BY: Readonly<Record<ServiceName, readonly string[]>> = {
  intake: ['SiteUpserted', 'ProgramTrackUpserted'],
  scheduling: ['ClientAdmitted'],
  sessions: [
    'SiteUpserted',
    'ProgramTrackUpserted',
    'AssessmentCompleted',
    'ClientAdmitted',
    'ClientEnrolled',
  ],
  notifications: [
    'SiteUpserted',
    'StaffMemberUpserted',
    'ScreeningCompleted',
    'AssessmentCompleted',
    'ClientAdmitted',
  ],
};

/** The event each accepted write implies, and the payload field naming the fact. */
const IMPLIED: Readonly<Record<Step, readonly { type: string; field: string }[]>> = {
  referral: [{ type: 'ReferralReceived', field: 'referralId' }],
  client: [],
  screening: [{ type: 'ScreeningCompleted', field: 'screeningId' }],
  assessment: [{ type: 'AssessmentCompleted', field: 'assessmentId' }],
  admission: [
    { type: 'ClientAdmitted', field: 'episodeId' },
    // Scheduling enrolls every admitted client: a fact derived by a consumer, which must not be lost either.
    { type: 'ClientEnrolled', field: 'episodeId' },
  ],
};

export interface CheckFigures {
  readonly requests: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly indeterminate: number;
  readonly indeterminateThatLeftState: number;
  readonly acceptedMissing: number;
  readonly acceptedDuplicated: number;
  readonly rejectedThatLeftState: number;
  readonly impliedEvents: number;
  readonly impliedEventsMissing: number;
  readonly factsPublishedTwice: number;
  readonly eventsWithoutState: number;
  readonly redeliveredRecords: number;
  readonly orderViolations: number;
  readonly inboxMissing: Readonly<Record<string, number>>;
  readonly inboxPhantom: Readonly<Record<string, number>>;
  readonly poisonRecords: number;
  readonly poisonDeadLettered: number;
  readonly poisonDeadLetteredWithoutReason: number;
  readonly otherDeadLetters: number;
  readonly urgentScreenings: number;
  readonly alertsMissing: number;
  readonly notificationsSent: number;
  readonly notificationsNotSettled: number;
  /** Messages the relay received, resends included. */
  readonly mailsReceived: number;
  /** Messages received again under a Message-ID already received: resends after a kill (informational). */
  readonly mailsResent: number;
  /** Notifications whose mail reached the relay under more than one Message-ID: duplicates no dedupe removes. */
  readonly mailsDuplicated: number;
  readonly mailsLost: number;
}

export interface CheckResult {
  readonly figures: CheckFigures;
  /** Each broken guarantee, with a few examples. */
  readonly violations: readonly string[];
}

const typeName = (record: TopicRecord): string =>
  /\.([A-Za-z]+)\.v\d+$/.exec(record.headers['ce_type'] ?? '')?.[1] ?? '';

/** Judges the evidence: pure, so the negative controls can feed it doctored evidence as well. */
export function check(evidence: Evidence): CheckResult {
  const violations: string[] = [];
  const fail = (what: string, examples: unknown[]): void => {
    if (examples.length > 0)
      violations.push(`${what}: ${examples.length} (e.g. ${JSON.stringify(examples.slice(0, 3))})`);
  };
  const ledger = evidence.ledger;
  const rowsBySub = new Map<string, { id: string; sub: string }[]>();
  const rowIds = new Map<Step, Set<string>>();
  for (const [step, rows] of Object.entries(evidence.rows) as [Step, { id: string; sub: string }[]][]) {
    rowIds.set(step, new Set(rows.map((r) => r.id)));
    for (const row of rows) {
      const key = `${step}:${row.sub}`;
      rowsBySub.set(key, [...(rowsBySub.get(key) ?? []), row]);
    }
  }
  const stateOf = (entry: LedgerEntry) => rowsBySub.get(`${entry.step}:${entry.sub}`) ?? [];

  const acceptedMissing = ledger.filter(
    (e) => e.outcome === 'accepted' && !rowIds.get(e.step)?.has(e.id ?? ''),
  );
  const acceptedDuplicated = ledger.filter((e) => e.outcome === 'accepted' && stateOf(e).length > 1);
  const rejectedWithState = ledger.filter((e) => e.outcome === 'rejected' && stateOf(e).length > 0);
  const indeterminateWithState = ledger.filter((e) => e.outcome === 'indeterminate' && stateOf(e).length > 0);
  fail(
    'accepted writes missing',
    acceptedMissing.map((e) => [e.step, e.id]),
  );
  fail(
    'accepted writes applied more than once',
    acceptedDuplicated.map((e) => [e.step, e.idempotencyKey]),
  );
  fail(
    'rejected writes that left state',
    rejectedWithState.map((e) => [e.step, e.status]),
  );

  // Events: by type and fact, the distinct event ids (a redelivered record repeats its id; a fact published
  // twice has two).
  const byFact = new Map<string, Set<string>>();
  const firstSeen = new Map<string, TopicRecord>();
  let redelivered = 0;
  const isPoison = new Set(evidence.poison.map((p) => `${p.topic}/${p.partition}@${p.offset}`));
  const careRecords = evidence.records.filter(
    (r) =>
      !SERVICES.some((s) => r.topic === deadLetterTopic(s)) &&
      !isPoison.has(`${r.topic}/${r.partition}@${r.offset}`),
  );
  for (const record of careRecords) {
    const id = record.headers['ce_id'] ?? '';
    if (firstSeen.has(id)) redelivered += 1;
    else firstSeen.set(id, record);
    for (const implied of Object.values(IMPLIED).flat()) {
      if (typeName(record) !== implied.type) continue;
      const fact = `${implied.type}:${String(record.data?.[implied.field] ?? '')}`;
      byFact.set(fact, (byFact.get(fact) ?? new Set()).add(id));
    }
  }
  // Every record that exists (accepted, or an indeterminate request that went through) implies its events.
  const missing: string[] = [];
  let implied = 0;
  const factsWithState = new Set<string>();
  for (const [step, rows] of Object.entries(evidence.rows) as [Step, { id: string; sub: string }[]][]) {
    for (const row of rows) {
      for (const event of IMPLIED[step]) {
        const fact = `${event.type}:${row.id}`;
        factsWithState.add(fact);
        implied += 1;
        if (!byFact.has(fact)) missing.push(fact);
      }
    }
  }
  fail('events implied by accepted writes missing from the topics', missing);
  const twice = [...byFact].filter(([, ids]) => ids.size > 1).map(([fact, ids]) => [fact, [...ids]]);
  fail('facts published twice with different ids', twice);
  // Events of the journeys' kinds whose fact has no state (a failed write that still published).
  const journeyFacts = [...byFact.keys()].filter((fact) => !factsWithState.has(fact));
  fail('events without the state they announce', journeyFacts);

  // Order: per topic and key, the first occurrence of each event in offset order follows the outbox sequence.
  const sequences = new Map<string, number[]>();
  for (const record of [...firstSeen.values()].sort((a, b) => a.offset - b.offset)) {
    const sequence = evidence.outbox.get(record.headers['ce_id'] ?? '');
    if (sequence === undefined) continue;
    const key = `${record.topic}/${record.partition}/${record.key}`;
    sequences.set(key, [...(sequences.get(key) ?? []), sequence]);
  }
  const outOfOrder = [...sequences].filter(([, seq]) =>
    seq.some((s, i) => i > 0 && s < (seq[i - 1] as number)),
  );
  fail(
    'per-key order violations (outbox sequence)',
    outOfOrder.map(([key]) => key),
  );

  // Inbox vs topics: every event a consumer applies appears in its inbox exactly once (the primary key makes
  // "more than once" impossible there; a missing row or a row for an event no topic holds is what can break).
  const inboxMissing: Record<string, number> = {};
  const inboxPhantom: Record<string, number> = {};
  for (const service of SERVICES) {
    const applied = new Set(evidence.inbox[service] ?? []);
    const expected = [...firstSeen.values()].filter(
      (r) =>
        (CONSUMED_TOPICS[service] as readonly string[]).includes(r.topic) &&
        APPLIED_BY[service].includes(typeName(r)),
    );
    const absent = expected.filter((r) => !applied.has(r.headers['ce_id'] ?? ''));
    const phantom = [...applied].filter((id) => !firstSeen.has(id));
    inboxMissing[service] = absent.length;
    inboxPhantom[service] = phantom.length;
    fail(
      `${service}: events not applied`,
      absent.map((r) => [typeName(r), r.headers['ce_id']]),
    );
    fail(`${service}: inbox rows for events no topic holds`, phantom);
  }

  // Poison: each one dead-lettered by every consumer of its topic, with a reason; nothing else dead-lettered.
  const deadLetters = evidence.records.filter((r) => SERVICES.some((s) => r.topic === deadLetterTopic(s)));
  const poisonKey = (topic: string, partition: number | string, offset: number | string, consumer: string) =>
    `${consumer}:${topic}/${partition}@${offset}`;
  const expectedDeadLetters = new Set(
    evidence.poison.flatMap((p) =>
      SERVICES.filter((s) => (CONSUMED_TOPICS[s] as readonly string[]).includes(p.topic)).map((s) =>
        poisonKey(p.topic, p.partition, p.offset, s),
      ),
    ),
  );
  const seenDeadLetters = new Map<string, TopicRecord>();
  const others: string[] = [];
  for (const dl of deadLetters) {
    const h = dl.headers;
    const key = poisonKey(
      h['dlq_original_topic'] ?? '',
      h['dlq_original_partition'] ?? '',
      h['dlq_original_offset'] ?? '',
      h['dlq_consumer'] ?? '',
    );
    if (expectedDeadLetters.has(key)) seenDeadLetters.set(key, dl);
    else others.push(`${key} ${h['dlq_reason'] ?? ''} ${h['dlq_error_code'] ?? ''}`);
  }
  const notDeadLettered = [...expectedDeadLetters].filter((k) => !seenDeadLetters.has(k));
  const withoutReason = [...seenDeadLetters].filter(
    ([, dl]) => !dl.headers['dlq_reason'] || !dl.headers['dlq_error_code'],
  );
  fail('poison records not dead-lettered', notDeadLettered);
  fail(
    'dead letters without a reason',
    withoutReason.map(([k]) => k),
  );
  fail('records dead-lettered that were not poison', others);

  // Notifications: every urgent screening alerts someone; each alert settles (sent, suppressed or failed, with
  // its log); the mail relay receives every notification sent by e-mail, under one Message-ID.
  const urgent = careRecords.filter(
    (r) =>
      typeName(r) === 'ScreeningCompleted' &&
      Array.isArray(r.data?.['urgentFlags']) &&
      (r.data?.['urgentFlags'] as unknown[]).length > 0,
  );
  const alertsByTrigger = new Set(
    evidence.notifications.filter((n) => n.kind === 'alert').map((n) => n.triggerEventId),
  );
  const alertsMissing = urgent.filter((r) => !alertsByTrigger.has(r.headers['ce_id'] ?? ''));
  const unsettled = evidence.notifications.filter((n) => n.status === 'queued' || n.status === 'sending');
  const mailed = evidence.notifications.filter((n) => n.status === 'sent' && n.channel === 'email');
  fail(
    'urgent screenings without an alert',
    alertsMissing.map((r) => r.headers['ce_id']),
  );
  fail(
    'notifications neither delivered nor suppressed',
    unsettled.map((n) => [n.kind, n.status, n.dedupeKey]),
  );
  // Delivery to the relay is at-least-once: a replica killed between the SMTP send and recording it sent sends
  // again on retry, under the same Message-ID (made from the notification id), which mail systems collapse. So
  // a resend of one Message-ID is informational; one notification under two Message-IDs would reach the mailbox
  // twice even after that dedupe, and fails. A mail without a Message-ID cannot be deduplicated: each counts.
  const messageIds = new Set<string>();
  const idsByNotification = new Map<string, Set<string>>();
  let mailsResent = 0;
  for (const [index, mail] of evidence.mails.entries()) {
    const messageId = mail.messageId ?? `(none #${index})`;
    if (messageIds.has(messageId)) mailsResent += 1;
    else messageIds.add(messageId);
    const notification = mail.notificationId ?? messageId;
    idsByNotification.set(notification, (idsByNotification.get(notification) ?? new Set()).add(messageId));
  }
  const duplicated = [...idsByNotification].filter(([, ids]) => ids.size > 1);
  const lost = mailed.filter((n) => !idsByNotification.has(n.id));
  fail(
    'e-mails delivered to the mailbox more than once after dedupe by Message-ID',
    duplicated.map(([notification, ids]) => [notification, [...ids]]),
  );
  fail(
    'e-mails marked sent that the relay never received',
    lost.map((n) => [n.kind, n.id]),
  );

  return {
    figures: {
      requests: ledger.length,
      accepted: ledger.filter((e) => e.outcome === 'accepted').length,
      rejected: ledger.filter((e) => e.outcome === 'rejected').length,
      indeterminate: ledger.filter((e) => e.outcome === 'indeterminate').length,
      indeterminateThatLeftState: indeterminateWithState.length,
      acceptedMissing: acceptedMissing.length,
      acceptedDuplicated: acceptedDuplicated.length,
      rejectedThatLeftState: rejectedWithState.length,
      impliedEvents: implied,
      impliedEventsMissing: missing.length,
      factsPublishedTwice: twice.length,
      eventsWithoutState: journeyFacts.length,
      redeliveredRecords: redelivered,
      orderViolations: outOfOrder.length,
      inboxMissing,
      inboxPhantom,
      poisonRecords: evidence.poison.length,
      poisonDeadLettered: seenDeadLetters.size,
      poisonDeadLetteredWithoutReason: withoutReason.length,
      otherDeadLetters: others.length,
      urgentScreenings: urgent.length,
      alertsMissing: alertsMissing.length,
      notificationsSent: evidence.notifications.filter((n) => n.status === 'sent').length,
      notificationsNotSettled: unsettled.length,
      mailsReceived: evidence.mails.length,
      mailsResent,
      mailsDuplicated: duplicated.length,
      mailsLost: lost.length,
    },
    violations,
  };
}

/** Where the checker finds the system's stores. */
export interface Stores {
  /** A superuser URL of the cluster's `stepwise` database. */
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
}

const ROW_QUERIES: Readonly<Record<Step, string>> = {
  referral: 'SELECT id::text AS id, created_by AS sub FROM intake.referrals',
  client: 'SELECT id::text AS id, created_by AS sub FROM intake.clients',
  screening: 'SELECT id::text AS id, administered_by AS sub FROM intake.screenings',
  assessment: 'SELECT id::text AS id, assessed_by::text AS sub FROM intake.assessments',
  admission: 'SELECT id::text AS id, created_by AS sub FROM intake.episodes',
};

/** Reads the evidence from the databases and every topic (its own consumer group, from the beginning). */
export async function gatherEvidence(
  stores: Stores,
  ledger: readonly LedgerEntry[],
  poison: readonly PoisonRecord[],
  mails: readonly ReceivedMail[],
): Promise<Evidence> {
  const db = new Client({ connectionString: stores.databaseUrl });
  await db.connect();
  try {
    const rows = {} as Record<Step, { id: string; sub: string }[]>;
    for (const [step, sql] of Object.entries(ROW_QUERIES) as [Step, string][]) {
      rows[step] = (await db.query<{ id: string; sub: string }>(sql)).rows;
    }
    const outbox = new Map<string, number>();
    const inbox: Record<string, string[]> = {};
    for (const service of SERVICES) {
      for (const row of (
        await db.query<{ id: string; sequence: string }>(
          `SELECT id::text AS id, sequence FROM "${service}".outbox`,
        )
      ).rows) {
        outbox.set(row.id, Number(row.sequence));
      }
      inbox[service] = (
        await db.query<{ event_id: string }>(
          `SELECT event_id::text AS event_id FROM "${service}".inbox WHERE consumer = $1`,
          [service],
        )
      ).rows.map((r) => r.event_id);
    }
    const records = await readTopics(stores.brokers, [
      ...CARE_TOPICS.map((t) => t.name),
      ...SERVICES.map((s) => deadLetterTopic(s)),
    ]);
    const notifications = (
      await db.query<NotificationRow>(
        `SELECT id::text AS id, dedupe_key AS "dedupeKey", kind, trigger_event_id::text AS "triggerEventId",
                status, channel FROM notifications.notifications`,
      )
    ).rows;
    return { ledger, poison, rows, outbox, inbox, records, notifications, mails };
  } finally {
    await db.end();
  }
}

/** Every record of `topics` up to their current end, read by a consumer group of the checker's own. */
export async function readTopics(
  brokers: readonly string[],
  topics: readonly string[],
): Promise<TopicRecord[]> {
  const kafka = new Kafka({ clientId: 'fault-checker', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic))
        ends.set(`${topic}/${p.partition}`, Number(p.high));
    }
  } finally {
    await admin.disconnect();
  }
  const remaining = new Set([...ends].filter(([, high]) => high > 0).map(([key]) => key));
  const records: TopicRecord[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `fault-checker-${Date.now()}`, maxBytesPerPartition: 4 << 20 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Topics not read to their end: ${[...remaining].join(', ')}`)),
        120_000,
      );
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? String(value[0]) : String(value);
          }
          let data: Record<string, unknown> | undefined;
          try {
            data = JSON.parse(message.value?.toString() ?? '') as Record<string, unknown>;
          } catch {
            data = undefined;
          }
          records.push({
            topic,
            partition,
            offset: Number(message.offset),
            key: message.key?.toString() ?? '',
            headers,
            data,
          });
          const key = `${topic}/${partition}`;
          if (Number(message.offset) + 1 >= (ends.get(key) ?? 0)) remaining.delete(key);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Total lag of the services' consumer groups (end offset − committed offset, over their topics). */
export async function consumerLag(brokers: readonly string[]): Promise<number> {
  const kafka = new Kafka({
    clientId: 'fault-checker-lag',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0;
    const ends = new Map<string, number>();
    for (const topic of new Set(Object.values(CONSUMED_TOPICS).flat())) {
      for (const p of await admin.fetchTopicOffsets(topic))
        ends.set(`${topic}/${p.partition}`, Number(p.high));
    }
    for (const service of SERVICES) {
      const groupTopics = [...CONSUMED_TOPICS[service]];
      const committed = await admin.fetchOffsets({ groupId: `stepwise-${service}`, topics: groupTopics });
      for (const t of committed) {
        for (const p of t.partitions) {
          const end = ends.get(`${t.topic}/${p.partition}`) ?? 0;
          const at = Number(p.offset) < 0 ? 0 : Number(p.offset);
          lag += Math.max(0, end - at);
        }
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
