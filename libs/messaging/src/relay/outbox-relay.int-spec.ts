import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Topics, examplePayload } from '@stepwise/contracts';
import { runWithTraceparent } from '@stepwise/platform';
import {
  type ReceivedRecord,
  type TestDatabase,
  createTestDatabase,
  openServiceDataSource,
  createTopics,
  deleteTopics,
  kafkaBrokers,
  readTopics,
  startOwnKafka,
  TcpProxy,
  testTopicPrefix,
  waitFor,
  spawnScript,
  type LocalKafkaBroker,
  type ScriptProcess,
} from '@stepwise/testing';
import { type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { KafkajsProducer } from '../kafkajs/kafkajs-producer';
import { ChangeWithoutReturningError, Outbox, type PendingEvent, pendingEvent } from '../outbox/outbox';
import {
  createOutboxNotifyTriggerV1,
  createOutboxTableV1,
  removeOutboxNotifyTriggerV1,
} from '../outbox/outbox-table';
import { type OutboxWakeUp, PgOutboxWakeUp, preferLocalRelay } from '../outbox/outbox-wake-up';
import { type Transaction, UnitOfWork } from '../outbox/unit-of-work';
import { OutboxRelay, type RelayOptions } from './outbox-relay';

const SCHEMA = 'sessions';
const TOPIC = Topics.SessionsEvents;

class CreateOutbox1700000000000 implements MigrationInterface {
  name = 'CreateOutbox1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    // As the services' migrations do: the trigger that used to wake the relay, and its removal.
    await createOutboxTableV1(queryRunner, SCHEMA);
    await createOutboxNotifyTriggerV1(queryRunner, SCHEMA);
    await removeOutboxNotifyTriggerV1(queryRunner, SCHEMA);
  }
  async down(): Promise<void> {
    // test schema only
  }
}

/** The one-statement use cases' domain table. */
class CreateFacts1700000000001 implements MigrationInterface {
  name = 'CreateFacts1700000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "${SCHEMA}".facts (id uuid PRIMARY KEY, client_id uuid NOT NULL, minutes int NOT NULL)`,
    );
  }
  async down(): Promise<void> {
    // test schema only
  }
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Each appended event carries its per-client revision: the order in which its transaction committed. */
interface Written {
  readonly id: string;
  readonly clientId: string;
  readonly revision: number;
}

function revisionOf(record: ReceivedRecord): number {
  return (JSON.parse(record.value) as { revision: number }).revision;
}

/** Per key, the revisions in the order consumed, counting each event id once (redeliveries are duplicates). */
function firstSeenRevisions(records: readonly ReceivedRecord[]): Map<string, number[]> {
  const seen = new Set<string>();
  const byKey = new Map<string, number[]>();
  for (const record of records) {
    const id = record.headers['ce_id'] ?? '';
    if (seen.has(id)) continue;
    seen.add(id);
    byKey.set(record.key, [...(byKey.get(record.key) ?? []), revisionOf(record)]);
  }
  return byKey;
}

describe('outbox and relay (real Postgres and Kafka)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;

  beforeAll(async () => {
    db = await createTestDatabase('relay');
    dataSource = await openServiceDataSource(db, SCHEMA, {
      label: 'relay-test',
      migrations: [CreateOutbox1700000000000, CreateFacts1700000000001],
      poolSize: 12,
    });
    unitOfWork = new UnitOfWork(dataSource, new Outbox(SCHEMA));
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  /** Appends one event (or `count` events) for `clientId` in one transaction, revision = commit order per key. */
  async function write(clientId: string, count = 1, through: UnitOfWork = unitOfWork): Promise<Written[]> {
    return through.run(async (tx) => {
      await tx.lockKey(clientId);
      const [row] = await tx.manager.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM "${SCHEMA}".outbox WHERE aggregateid = $1`,
        [clientId],
      );
      const written: Written[] = [];
      for (let i = 1; i <= count; i++) {
        const revision = Number(row?.n ?? 0) + i;
        const message = await tx.publish(
          'SessionAttended',
          examplePayload('SessionAttended', { clientId, revision }),
        );
        written.push({ id: message.headers['ce_id'] ?? '', clientId, revision });
      }
      return written;
    });
  }

  /**
   * `perKey` events for each key, interleaved across keys as a horizon's are, revisions `from`, `from + 1`, …
   * per key: the order in which each key's events must be published.
   */
  function interleaved(keys: readonly string[], perKey: number, from = 1): PendingEvent[] {
    return Array.from({ length: perKey }, (_, i) =>
      keys.map((clientId) =>
        pendingEvent('SessionAttended', examplePayload('SessionAttended', { clientId, revision: from + i })),
      ),
    ).flat();
  }

  /** Appends the events in one transaction of `through`, as written records. */
  async function writeAll(
    events: readonly PendingEvent[],
    through: UnitOfWork = unitOfWork,
  ): Promise<Written[]> {
    const messages = await through.run((tx) => tx.publishAll(events));
    return messages.map((message, i) => ({
      id: message.headers['ce_id'] ?? '',
      clientId: message.key,
      revision: (events[i]?.payload as { revision: number }).revision,
    }));
  }

  async function unpublished(): Promise<number> {
    const [row] = await dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM "${SCHEMA}".outbox WHERE published_at IS NULL`,
    );
    return Number(row?.n ?? 0);
  }

  async function clearOutbox(): Promise<void> {
    await dataSource.query(`DELETE FROM "${SCHEMA}".outbox`);
  }

  function relayOptions(prefix: string, overrides: Partial<RelayOptions> = {}): RelayOptions {
    return {
      connectionString: db.service(SCHEMA).url,
      schema: SCHEMA,
      holderId: `in-process-${randomUUID().slice(0, 8)}`,
      batchSize: 100,
      pollIntervalMs: 100,
      leaseRetryMs: 200,
      retentionMs: 3_600_000,
      topicPrefix: prefix,
      ...overrides,
    };
  }

  describe('unit of work: per-key lock, deadlock victims', () => {
    // The later tests count what is in the outbox: leave nothing behind.
    afterEach(() => clearOutbox());

    /**
     * Two use cases take the same two keys in opposite orders, each waiting until the other holds its first
     * key: Postgres must abort one of them (40P01). Reruns find the other gone and go straight through.
     */
    async function deadlockingPair(
      through: UnitOfWork,
      committedEffects: string[] = [],
    ): Promise<PromiseSettledResult<Written[]>[]> {
      const [a, b] = [randomUUID(), randomUUID()];
      let arrive: () => void = () => undefined;
      const bothHoldOne = new Promise<void>((resolve) => {
        let arrived = 0;
        arrive = () => {
          arrived += 1;
          if (arrived === 2) resolve();
        };
      });
      const useCase = (first: string, second: string) =>
        through.run(async (tx) => {
          await tx.lockKey(first);
          // Registered by every attempt, the aborted one included: only the committed one may run it.
          tx.afterCommit(() => committedEffects.push(first));
          arrive();
          await bothHoldOne;
          await tx.lockKey(second);
          const message = await tx.publish(
            'SessionAttended',
            examplePayload('SessionAttended', { clientId: first }),
          );
          return [{ id: message.headers['ce_id'] ?? '', clientId: first, revision: 1 }];
        });
      return Promise.allSettled([useCase(a, b), useCase(b, a)]);
    }

    async function outboxRowsFor(written: readonly Written[]): Promise<number> {
      const [row] = await dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM "${SCHEMA}".outbox WHERE aggregateid = ANY($1::text[])`,
        [written.map((w) => w.clientId)],
      );
      return Number(row?.n ?? 0);
    }

    it('runs the victim again: both use cases commit, the aborted attempt left no event behind (nor ran its after-commit effect), the retry is reported', async () => {
      const retries: string[] = [];
      const through = new UnitOfWork(dataSource, new Outbox(SCHEMA), undefined, {
        onRetry: (code) => retries.push(code),
      });
      const effects: string[] = [];
      const results = await deadlockingPair(through, effects);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const written = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
      expect(await outboxRowsFor(written)).toBe(2);
      expect(retries).toEqual(['40P01']);
      expect(effects.sort()).toEqual(written.map((w) => w.clientId).sort());
    });

    it('holds a second writer of the same key at its append until the first commits, so sequence follows commit order', async () => {
      const key = randomUUID();
      let commitFirst: () => void = () => undefined;
      const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
      let firstAppended: () => void = () => undefined;
      const appended = new Promise<void>((resolve) => (firstAppended = resolve));
      const publish = (tx: Transaction) =>
        tx.publish('SessionAttended', examplePayload('SessionAttended', { clientId: key }));
      // Neither use case locks anything itself: the outbox's own per-key lock is what is tested.
      const first = unitOfWork.run(async (tx) => {
        const message = await publish(tx);
        firstAppended();
        await firstMayCommit;
        return message.headers['ce_id'];
      });
      await appended;
      const second = unitOfWork.run(async (tx) => (await publish(tx)).headers['ce_id']);
      await waitFor(
        'the second writer waiting for the key',
        () =>
          dataSource.query<unknown[]>(
            `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          ),
        (waiting) => waiting.length === 1,
      );
      commitFirst();
      const ids = [await first, await second];
      const rows = await dataSource.query<{ id: string }[]>(
        `SELECT id FROM "${SCHEMA}".outbox WHERE aggregateid = $1 ORDER BY sequence`,
        [key],
      );
      expect(rows.map((r) => r.id)).toEqual(ids);
    });

    it('negative control: with one attempt, the same pair fails one use case with the deadlock', async () => {
      const results = await deadlockingPair(
        new UnitOfWork(dataSource, new Outbox(SCHEMA), undefined, { maxAttempts: 1 }),
      );
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect((rejected[0]?.reason as { code?: string }).code).toBe('40P01');
    });

    it("makes lockKeys' statement before it waits for any key, in the same round trip", async () => {
      const key = randomUUID();
      const factId = randomUUID();
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const blocker = unitOfWork.run(async (tx) => {
        await tx.lockKey(key);
        holding();
        await released;
      });
      await held;
      const marking = unitOfWork.run((tx) =>
        tx.lockKeys([key], {
          sql: `INSERT INTO "${SCHEMA}".facts (id, client_id, minutes) VALUES ($1, $2, 1) RETURNING id`,
          parameters: [factId, randomUUID()],
        }),
      );
      // While it waits for the key, its row is already written (uncommitted): the transaction has a
      // transaction id, which Postgres assigns only when it first writes a row.
      const waiter = await waitFor(
        'the marking transaction waiting for the key',
        () =>
          dataSource.query<{ pid: number }[]>(
            `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          ),
        (rows) => rows.length === 1,
      );
      const [wrote] = await dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND locktype = 'transactionid' AND granted`,
        [waiter[0]?.pid],
      );
      expect(wrote).toEqual({ n: 1 });
      const facts = () =>
        dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${SCHEMA}".facts WHERE id = $1`, [
          factId,
        ]);
      expect(await facts()).toEqual([{ n: 0 }]);
      release();
      await Promise.all([blocker, marking]);
      expect(await facts()).toEqual([{ n: 1 }]);
    });
  });

  describe('one-statement use case (unitOfWork.runStatement)', () => {
    afterEach(() => clearOutbox());

    const insertFact = (id: string, clientId: string, minutes = 60) => ({
      sql: `INSERT INTO "${SCHEMA}".facts (id, client_id, minutes) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO NOTHING RETURNING id`,
      parameters: [id, clientId, minutes],
    });
    const attended = (clientId: string, attendanceId: string) =>
      pendingEvent('SessionAttended', examplePayload('SessionAttended', { clientId, attendanceId }));

    async function factsOf(id: string): Promise<number> {
      const [row] = await dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM "${SCHEMA}".facts WHERE id = $1`,
        [id],
      );
      return Number(row?.n ?? 0);
    }

    async function eventsOf(clientId: string): Promise<{ id: string; traceparent: string }[]> {
      return dataSource.query(
        `SELECT id, headers->>'traceparent' AS traceparent FROM "${SCHEMA}".outbox
          WHERE aggregateid = $1 ORDER BY sequence`,
        [clientId],
      );
    }

    /** Counts the statements the data source sends, BEGIN and COMMIT included. */
    function countStatements(): { readonly count: () => number; readonly restore: () => void } {
      let statements = 0;
      const original = dataSource.createQueryRunner.bind(dataSource);
      const spy = jest.spyOn(dataSource, 'createQueryRunner').mockImplementation((mode) => {
        const runner = original(mode);
        const query = runner.query.bind(runner);
        runner.query = ((...args: Parameters<typeof query>) => {
          statements += 1;
          return query(...args);
        }) as typeof runner.query;
        return runner;
      });
      return { count: () => statements, restore: () => spy.mockRestore() };
    }

    it('writes the row and its event in one statement, with its trace context, and wakes the relay once', async () => {
      let wakes = 0;
      const through = new UnitOfWork(dataSource, new Outbox(SCHEMA), { committed: () => (wakes += 1) });
      const [factId, clientId] = [randomUUID(), randomUUID()];
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const counter = countStatements();
      const result = await runWithTraceparent(traceparent, () =>
        through.runStatement(insertFact(factId, clientId), attended(clientId, factId)),
      ).finally(counter.restore);
      expect(counter.count()).toBe(1);
      expect(result.changed).toBe(true);
      expect(await factsOf(factId)).toBe(1);
      const events = await eventsOf(clientId);
      expect(events.map((e) => e.id)).toEqual([result.message.headers['ce_id']]);
      // The append's own span, under the request's trace: the relay continues it.
      expect(events[0]?.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
      expect(wakes).toBe(1);
    });

    it('negative control: the same change through run costs four statements', async () => {
      const [factId, clientId] = [randomUUID(), randomUUID()];
      const counter = countStatements();
      await unitOfWork
        .run(async (tx) => {
          const change = insertFact(factId, clientId);
          await tx.manager.query(change.sql, [...change.parameters]);
          await tx.publishAll([attended(clientId, factId)]);
        })
        .finally(counter.restore);
      expect(counter.count()).toBe(4);
    });

    it('in a transaction, makes the change, the statements alongside and the event in one statement (parameters renumbered); a failing one leaves none', async () => {
      const [factId, otherId, clientId] = [randomUUID(), randomUUID(), randomUUID()];
      // Two statements each numbered from $1, as their owners wrote them (an audit entry, say).
      const alongside = (id: string, minutes: number) => ({
        sql: `INSERT INTO "${SCHEMA}".facts (id, client_id, minutes) VALUES ($1, $2, $3) RETURNING id`,
        parameters: [id, clientId, minutes],
      });
      const counter = countStatements();
      const result = await unitOfWork
        .run((tx) =>
          tx.publishWithChange(insertFact(factId, clientId, 45), attended(clientId, factId), [
            alongside(otherId, 30),
          ]),
        )
        .finally(counter.restore);
      // BEGIN, the one statement, COMMIT.
      expect(counter.count()).toBe(3);
      expect(result.changed).toBe(true);
      expect(
        await dataSource.query(
          `SELECT id, minutes FROM "${SCHEMA}".facts WHERE client_id = $1 ORDER BY minutes`,
          [clientId],
        ),
      ).toEqual([
        { id: otherId, minutes: 30 },
        { id: factId, minutes: 45 },
      ]);
      expect((await eventsOf(clientId)).map((e) => e.id)).toEqual([result.message.headers['ce_id']]);

      // The statement alongside fails (its id is taken): the change and the event go with it.
      const [lostId, lostClient] = [randomUUID(), randomUUID()];
      await expect(
        unitOfWork.run((tx) =>
          tx.publishWithChange(insertFact(lostId, lostClient), attended(lostClient, lostId), [
            alongside(otherId, 1),
          ]),
        ),
      ).rejects.toMatchObject({ code: '23505' });
      expect(await factsOf(lostId)).toBe(0);
      expect(await eventsOf(lostClient)).toEqual([]);
    });

    it('publishes nothing, and wakes nobody, when the change returned no row (a replayed request)', async () => {
      let wakes = 0;
      const through = new UnitOfWork(dataSource, new Outbox(SCHEMA), { committed: () => (wakes += 1) });
      const [factId, clientId] = [randomUUID(), randomUUID()];
      expect(
        (await through.runStatement(insertFact(factId, clientId), attended(clientId, factId))).changed,
      ).toBe(true);
      const replay = await through.runStatement(insertFact(factId, clientId), attended(clientId, factId));
      expect(replay.changed).toBe(false);
      expect(await eventsOf(clientId)).toHaveLength(1);
      expect(wakes).toBe(1);
    });

    it('leaves neither row nor event when either part fails', async () => {
      const [factId, clientId] = [randomUUID(), randomUUID()];
      // The change fails (a constraint): no event.
      await expect(
        unitOfWork.runStatement(
          {
            sql: `INSERT INTO "${SCHEMA}".facts (id, client_id, minutes) VALUES ($1, $2, NULL) RETURNING id`,
            parameters: [factId, clientId],
          },
          attended(clientId, factId),
        ),
      ).rejects.toMatchObject({ code: '23502' });
      expect(await eventsOf(clientId)).toEqual([]);
      // The append fails (an event id already in the outbox): no row.
      const first = await unitOfWork.runStatement(
        insertFact(randomUUID(), clientId),
        attended(clientId, factId),
      );
      const eventId = first.message.headers['ce_id'];
      await expect(
        unitOfWork.runStatement(
          insertFact(factId, clientId),
          pendingEvent('SessionAttended', examplePayload('SessionAttended', { clientId }), { id: eventId }),
        ),
      ).rejects.toMatchObject({ code: '23505' });
      expect(await factsOf(factId)).toBe(0);
      expect(await eventsOf(clientId)).toHaveLength(1);
    });

    it('refuses a change without RETURNING, whose event could not depend on it', async () => {
      const [factId, clientId] = [randomUUID(), randomUUID()];
      await expect(
        unitOfWork.runStatement(
          {
            sql: `INSERT INTO "${SCHEMA}".facts (id, client_id, minutes) VALUES ($1, $2, 1)`,
            parameters: [factId, clientId],
          },
          attended(clientId, factId),
        ),
      ).rejects.toThrow(ChangeWithoutReturningError);
      expect(await factsOf(factId)).toBe(0);
    });

    it("waits for the key's lock held by another writer, so its event's sequence follows commit order", async () => {
      const clientId = randomUUID();
      let commitFirst: () => void = () => undefined;
      const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
      let firstAppended: () => void = () => undefined;
      const appended = new Promise<void>((resolve) => (firstAppended = resolve));
      const first = unitOfWork.run(async (tx) => {
        const message = await tx.publish('SessionAttended', examplePayload('SessionAttended', { clientId }));
        firstAppended();
        await firstMayCommit;
        return message.headers['ce_id'];
      });
      await appended;
      const factId = randomUUID();
      const second = unitOfWork.runStatement(insertFact(factId, clientId), attended(clientId, factId));
      await waitFor(
        'the one-statement writer waiting for the key',
        () =>
          dataSource.query<unknown[]>(
            `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          ),
        (waiting) => waiting.length === 1,
      );
      // Held at the lock, the statement has committed nothing yet: neither its row nor its event.
      expect(await factsOf(factId)).toBe(0);
      commitFirst();
      const ids = [await first, (await second).message.headers['ce_id']];
      expect((await eventsOf(clientId)).map((e) => e.id)).toEqual(ids);
    });
  });

  describe('bulk append (tx.publishAll)', () => {
    afterEach(() => clearOutbox());

    interface OutboxRow {
      readonly id: string;
      readonly clientId: string;
      readonly revision: number;
      readonly sequence: number;
      readonly aggregatetype: string;
      readonly traceparent: string | null;
    }

    async function rowsOf(keys: readonly string[]): Promise<OutboxRow[]> {
      const rows = await dataSource.query<(Omit<OutboxRow, 'sequence'> & { sequence: string })[]>(
        `SELECT id, aggregateid AS "clientId", (payload->>'revision')::int AS revision, sequence, aggregatetype,
                headers->>'traceparent' AS traceparent
           FROM "${SCHEMA}".outbox WHERE aggregateid = ANY($1::text[]) ORDER BY sequence`,
        [keys],
      );
      return rows.map((row) => ({ ...row, sequence: Number(row.sequence) }));
    }

    /** Per key, the ids in sequence order. */
    function idsByKey(rows: readonly { id: string; clientId: string }[]): Map<string, string[]> {
      const byKey = new Map<string, string[]>();
      for (const row of rows) byKey.set(row.clientId, [...(byKey.get(row.clientId) ?? []), row.id]);
      return byKey;
    }

    it('commits 2,500 events of one transaction with contiguous sequences, each key in list order, with its trace context', async () => {
      const keys = Array.from({ length: 25 }, () => randomUUID());
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      // Past one INSERT's chunk (2,000 rows), so the order across chunks is tested too.
      const written = await runWithTraceparent(traceparent, () => writeAll(interleaved(keys, 100)));
      const rows = await rowsOf(keys);
      expect(rows.map((r) => r.id)).toEqual(written.map((w) => w.id));
      const first = rows[0]?.sequence ?? 0;
      expect(rows.map((r) => r.sequence)).toEqual(rows.map((_, i) => first + i));
      for (const key of keys) {
        expect(rows.filter((r) => r.clientId === key).map((r) => r.revision)).toEqual(
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
      }
      expect(new Set(rows.map((r) => r.aggregatetype))).toEqual(new Set(['client']));
      expect(new Set(rows.map((r) => r.traceparent))).toEqual(new Set([traceparent]));
    });

    it('leaves nothing behind, wakes nobody and runs no after-commit effect when the transaction rolls back', async () => {
      let wakes = 0;
      let effects = 0;
      const unit = new UnitOfWork(dataSource, new Outbox(SCHEMA), { committed: () => (wakes += 1) });
      const keys = Array.from({ length: 5 }, () => randomUUID());
      await expect(
        unit.run(async (tx) => {
          tx.afterCommit(() => (effects += 1));
          const messages = await tx.publishAll(interleaved(keys, 20));
          expect(messages).toHaveLength(100);
          throw new Error('the use case failed after appending');
        }),
      ).rejects.toThrow('the use case failed');
      expect(await rowsOf(keys)).toEqual([]);
      expect(wakes).toBe(0);
      expect(effects).toBe(0);
    });

    it('appends nothing and wakes nobody for an empty list', async () => {
      let wakes = 0;
      const unit = new UnitOfWork(dataSource, new Outbox(SCHEMA), { committed: () => (wakes += 1) });
      await expect(unit.run((tx) => tx.publishAll([]))).resolves.toEqual([]);
      const [row] = await dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM "${SCHEMA}".outbox`);
      expect(Number(row?.n)).toBe(0);
      expect(wakes).toBe(0);
    });

    it('keeps two bulk writers on the same keys, listed in opposite orders, from deadlocking: each key in commit order', async () => {
      const [low, high] = [randomUUID(), randomUUID()].sort() as [string, string];
      // One run each: a deadlock victim would fail its use case here instead of being run again.
      const retries: string[] = [];
      const once = new UnitOfWork(dataSource, new Outbox(SCHEMA), undefined, {
        maxAttempts: 1,
        onRetry: (code) => retries.push(code),
      });
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (holding = resolve));
      // Holds the lower key, so both writers are queued before either takes a lock. Were locks taken in list
      // order, the second writer would take `high` and wait for `low`, which the first (granted `low` first)
      // holds while it waits for `high`.
      const blocker = unitOfWork.run(async (tx) => {
        await tx.lockKey(low);
        holding();
        await released;
      });
      await held;
      const waiting = (n: number) =>
        waitFor(
          `${n} writer(s) waiting for a key`,
          () =>
            dataSource.query<unknown[]>(
              `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
            ),
          (rows) => rows.length === n,
        );
      const first = writeAll([...interleaved([low], 3, 1), ...interleaved([high], 3, 1)], once);
      await waiting(1);
      const second = writeAll([...interleaved([high], 3, 4), ...interleaved([low], 3, 4)], once);
      await waiting(2);
      release();
      await blocker;
      const [a, b] = await Promise.all([first, second]);
      expect(retries).toEqual([]);
      // The lock queue grants the first writer first: its events precede the second's on both keys.
      const expected = idsByKey([...a, ...b].sort((x, y) => x.revision - y.revision));
      expect(idsByKey(await rowsOf([low, high]))).toEqual(expected);
      for (const key of [low, high]) {
        expect((await rowsOf([key])).map((r) => r.revision)).toEqual([1, 2, 3, 4, 5, 6]);
      }
    });
  });

  describe('in one process', () => {
    const prefix = testTopicPrefix('relay');
    const topic = `${prefix}${TOPIC}`;
    let producer: KafkajsProducer;
    let relay: OutboxRelay;

    beforeAll(async () => {
      await createTopics([topic]);
      producer = new KafkajsProducer({ clientId: 'relay-test', brokers: kafkaBrokers() });
      relay = new OutboxRelay(relayOptions(prefix), producer, quiet);
      relay.start();
      await waitFor(
        'the relay lease',
        () => Promise.resolve(relay.isLeader),
        (leader) => leader,
      );
    });
    afterAll(async () => {
      await relay.stop();
      await producer.close();
      await deleteTopics([topic]);
    });

    it('refuses to write an event outside a transaction', async () => {
      await expect(
        new Outbox(SCHEMA).append(dataSource.manager, 'SessionAttended', examplePayload('SessionAttended')),
      ).rejects.toThrow('must be appended inside the transaction');
    });

    it('publishes nothing for a rolled-back transaction, and a committed one with its trace context', async () => {
      const rolledBackClient = randomUUID();
      await expect(
        unitOfWork.run(async (tx) => {
          await tx.publish(
            'SessionAttended',
            examplePayload('SessionAttended', { clientId: rolledBackClient }),
          );
          throw new Error('the use case failed after appending');
        }),
      ).rejects.toThrow('the use case failed');

      const committedClient = randomUUID();
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const [committed] = await runWithTraceparent(traceparent, () => write(committedClient));

      const records = await readTopics([topic], (r) => r.some((x) => x.key === committedClient));
      expect(records.filter((r) => r.key === rolledBackClient)).toEqual([]);
      const delivered = records.filter((r) => r.key === committedClient);
      expect(delivered).toHaveLength(1);
      expect(delivered[0]?.headers).toMatchObject({
        ce_id: committed?.id,
        ce_type: 'care.sessions.SessionAttended.v1',
        ce_specversion: '1.0',
        'content-type': 'application/json',
        traceparent,
      });
      const rows = await dataSource.query<
        { aggregateid: string; aggregatetype: string; published: boolean }[]
      >(`SELECT aggregateid, aggregatetype, published_at IS NOT NULL AS published FROM "${SCHEMA}".outbox`);
      expect(rows).toEqual([{ aggregateid: committedClient, aggregatetype: 'client', published: true }]);
    });

    it('delivers 1,000 events from concurrent writers, several on each key, in per-key commit order', async () => {
      await clearOutbox();
      const clients = Array.from({ length: 40 }, () => randomUUID());
      // Transactions planned up front (every fifth appends three events for its key), taken by 8 writers.
      const plan: { client: string; count: number }[] = [];
      for (let i = 0, total = 0; total < 1_000; i++) {
        const count = Math.min(i % 5 === 0 ? 3 : 1, 1_000 - total);
        plan.push({ client: clients[(i * 7) % clients.length] ?? '', count });
        total += count;
      }
      const written: Written[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let job = plan.shift(); job !== undefined; job = plan.shift()) {
            written.push(...(await write(job.client, job.count)));
          }
        }),
      );
      expect(written).toHaveLength(1_000);
      const keys = new Set<string>(clients);

      const records = (
        await readTopics([topic], (r) => r.filter((x) => keys.has(x.key)).length >= 1_000)
      ).filter((r) => keys.has(r.key));
      expect(records).toHaveLength(1_000);
      expect(new Set(records.map((r) => r.headers['ce_id'])).size).toBe(1_000);
      for (const [client, revisions] of firstSeenRevisions(records)) {
        const expected = written.filter((w) => w.clientId === client).map((w) => w.revision);
        expect(revisions).toEqual([...expected].sort((a, b) => a - b));
        expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => i + 1));
      }
      await waitFor('every row marked published', unpublished, (n) => n === 0);
    });
    it("delivers a bulk append of 2,500 events in each key's list order, with its trace context", async () => {
      await clearOutbox();
      const keys = Array.from({ length: 10 }, () => randomUUID());
      const traceparent = '00-5e0a0b8f6a1d4a2e8d6a0f3c2b1a0987-1a2b3c4d5e6f7081-01';
      const written = await runWithTraceparent(traceparent, () => writeAll(interleaved(keys, 250)));
      const ids = new Set(written.map((w) => w.id));
      const ours = (r: readonly ReceivedRecord[]): ReceivedRecord[] =>
        r.filter((x) => ids.has(x.headers['ce_id'] ?? ''));
      const records = ours(
        await readTopics([topic], (r) => new Set(ours(r).map((x) => x.headers['ce_id'])).size >= ids.size),
      );
      expect(new Set(records.map((r) => r.headers['ce_id'])).size).toBe(2_500);
      for (const [client, revisions] of firstSeenRevisions(records)) {
        expect(revisions).toEqual(written.filter((w) => w.clientId === client).map((w) => w.revision));
        expect(revisions).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
      }
      expect(new Set(records.map((r) => r.headers['traceparent']))).toEqual(new Set([traceparent]));
      await waitFor('every row marked published', unpublished, (n) => n === 0);
    });
  });

  describe('a transaction whose rows straddle what the relay has read', () => {
    const prefix = testTopicPrefix('relay-straddle');
    const topic = `${prefix}${TOPIC}`;

    beforeAll(() => createTopics([topic]));
    afterAll(() => deleteTopics([topic]));

    /** Resolves `open` when called; `opened` resolves when it was. */
    function gate(): { open: () => void; opened: Promise<void> } {
      let open: () => void = () => undefined;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { open, opened };
    }

    it("publishes a key's earlier row first even when another key's rows committed between its two rows", async () => {
      await clearOutbox();
      const [straddling, other] = [randomUUID(), randomUUID()];
      const attended = (tx: Transaction, revision: number) =>
        tx.publish('SessionAttended', examplePayload('SessionAttended', { clientId: straddling, revision }));
      const firstAppended = gate();
      const firstBatchSent = gate();
      const mayCommit = gate();
      // Draws the lowest sequence, then its second row only after the relay has read past the other key's.
      const transaction = unitOfWork.run(async (tx) => {
        await attended(tx, 1);
        firstAppended.open();
        await firstBatchSent.opened;
        await attended(tx, 2);
      });
      await firstAppended.opened;
      await write(other, 2);
      const producer = new KafkajsProducer({ clientId: 'relay-straddle-test', brokers: kafkaBrokers() });
      // One row a batch: the relay reads the other key's second row before the straddling transaction commits.
      const relay = new OutboxRelay(
        relayOptions(prefix, { batchSize: 1 }),
        producer,
        quiet,
        {},
        {
          afterSend: async () => {
            firstBatchSent.open();
            await mayCommit.opened;
          },
        },
      );
      relay.start();
      try {
        await firstBatchSent.opened;
        await transaction;
        mayCommit.open();
        await waitFor('every row published', unpublished, (n) => n === 0);
      } finally {
        await relay.stop();
        await producer.close();
      }
      const records = await readTopics([topic], (r) => r.filter((x) => x.key === straddling).length >= 2);
      expect(firstSeenRevisions(records).get(straddling)).toEqual([1, 2]);
      expect(firstSeenRevisions(records).get(other)).toEqual([1, 2]);
    });
  });

  describe('woken after commit, with a poll interval of a minute', () => {
    const prefix = testTopicPrefix('relay-wake');
    const topic = `${prefix}${TOPIC}`;
    let producer: KafkajsProducer;
    let relay: OutboxRelay;
    let proxy: TcpProxy;
    const counts = { notified: 0, failed: 0 };
    let wakeUp: PgOutboxWakeUp;
    let woken: UnitOfWork;

    beforeAll(async () => {
      await createTopics([topic]);
      await clearOutbox();
      producer = new KafkajsProducer({ clientId: 'relay-wake-test', brokers: kafkaBrokers() });
      // Only a wake-up can make this relay publish within the tests' time: its poll is a minute away.
      relay = new OutboxRelay(relayOptions(prefix, { pollIntervalMs: 60_000 }), producer, quiet);
      relay.start();
      await waitFor(
        'the relay lease',
        () => Promise.resolve(relay.isLeader),
        (leader) => leader,
      );
      // The wake-up's connection goes through a proxy the tests can cut.
      proxy = await TcpProxy.start(db.service(SCHEMA).url);
      wakeUp = new PgOutboxWakeUp(
        { connectionString: proxy.rewrite(db.service(SCHEMA).url), schema: SCHEMA },
        { notified: () => (counts.notified += 1), failed: () => (counts.failed += 1) },
      );
      woken = new UnitOfWork(dataSource, new Outbox(SCHEMA), wakeUp);
    });
    afterAll(async () => {
      await wakeUp.close();
      await proxy.close();
      await relay.stop();
      await producer.close();
      await deleteTopics([topic]);
    });

    it('runs on an outbox whose migrations removed the NOTIFY trigger', async () => {
      const triggers = await dataSource.query<{ name: string }[]>(
        `SELECT tgname AS name FROM pg_trigger WHERE tgrelid = '"${SCHEMA}"."outbox"'::regclass AND NOT tgisinternal`,
      );
      expect(triggers).toEqual([]);
    });

    it('publishes a committed event at once, not at the next poll', async () => {
      const client = randomUUID();
      const started = Date.now();
      const [written] = await write(client, 1, woken);
      await waitFor('the event published', unpublished, (n) => n === 0, 15_000);
      // Well before the poll (a minute), with room for a loaded machine.
      expect(Date.now() - started).toBeLessThan(5_000);
      const records = await readTopics([topic], (r) => r.some((x) => x.key === client));
      expect(records.filter((r) => r.key === client).map((r) => r.headers['ce_id'])).toEqual([written?.id]);
    });

    it('publishes a one-statement use case at once when woken in-process, without any notification', async () => {
      const notified = counts.notified;
      // The relay of this process holds the lease: the NOTIFY path must not be taken.
      const direct = new UnitOfWork(dataSource, new Outbox(SCHEMA), preferLocalRelay(relay, wakeUp));
      const [factId, client] = [randomUUID(), randomUUID()];
      const started = Date.now();
      const { message } = await direct.runStatement(
        {
          sql: `INSERT INTO "${SCHEMA}".facts (id, client_id, minutes) VALUES ($1, $2, 60) RETURNING id`,
          parameters: [factId, client],
        },
        pendingEvent('SessionAttended', examplePayload('SessionAttended', { clientId: client })),
      );
      await waitFor('the event published', unpublished, (n) => n === 0, 15_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(counts.notified).toBe(notified);
      const records = await readTopics([topic], (r) => r.some((x) => x.key === client));
      expect(records.filter((r) => r.key === client).map((r) => r.headers['ce_id'])).toEqual([
        message.headers['ce_id'],
      ]);
    });

    it('publishes a committed bulk append at once, not at the next poll', async () => {
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      const started = Date.now();
      const written = await writeAll(interleaved(keys, 20), woken);
      await waitFor('the events published', unpublished, (n) => n === 0, 15_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      const ids = new Set(written.map((w) => w.id));
      const records = await readTopics(
        [topic],
        (r) => r.filter((x) => ids.has(x.headers['ce_id'] ?? '')).length >= 60,
      );
      expect(new Set(records.map((r) => r.headers['ce_id']).filter((id) => ids.has(id ?? ''))).size).toBe(60);
    });

    it('wakes only after a commit that published: not for a rollback, not for a transaction without events', async () => {
      let wakes = 0;
      const counting: OutboxWakeUp = { committed: () => (wakes += 1) };
      const unit = new UnitOfWork(dataSource, new Outbox(SCHEMA), counting);
      await write(randomUUID(), 2, unit);
      expect(wakes).toBe(1);
      await expect(unit.run((tx) => tx.manager.query('SELECT 1'))).resolves.toEqual([{ '?column?': 1 }]);
      await expect(
        unit.run(async (tx) => {
          await tx.publish('SessionAttended', examplePayload('SessionAttended'));
          throw new Error('the use case failed after publishing');
        }),
      ).rejects.toThrow('the use case failed');
      expect(wakes).toBe(1);
      await unit.run((tx) => tx.publishAll(interleaved([randomUUID(), randomUUID()], 2)));
      expect(wakes).toBe(2);
      await unit.run((tx) => tx.publishAll([]));
      expect(wakes).toBe(2);
    });

    it('sends one notification at a time: commits during one in flight cost exactly one more', async () => {
      await wakeUp.whenIdle();
      const before = counts.notified;
      for (let i = 0; i < 20; i++) wakeUp.committed();
      await wakeUp.whenIdle();
      expect(counts.notified - before).toBe(2);
      wakeUp.committed();
      await wakeUp.whenIdle();
      expect(counts.notified - before).toBe(3);
    });

    it('never fails the use case when the wake-up cannot reach the database, and wakes again once it can', async () => {
      await waitFor('earlier events published', unpublished, (n) => n === 0, 10_000);
      await proxy.cut();
      const failedBefore = counts.failed;
      const client = randomUUID();
      const [written] = await write(client, 1, woken);
      expect(written?.clientId).toBe(client);
      await waitFor(
        'the failed wake-up counted',
        () => Promise.resolve(counts.failed),
        (n) => n > failedBefore,
      );
      // Nothing woke the relay: the event waits for the poll (or, here, the next wake-up).
      expect(await unpublished()).toBe(1);

      await proxy.restore();
      const started = Date.now();
      await write(randomUUID(), 1, woken);
      await waitFor('both events published', unpublished, (n) => n === 0, 15_000);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });

  describe('pruning', () => {
    it('deletes published rows older than the retention and keeps the recent ones', async () => {
      await clearOutbox();
      const insert = (publishedAt: string | null): Promise<unknown> =>
        dataSource.query(
          `INSERT INTO "${SCHEMA}".outbox (id, aggregatetype, aggregateid, type, topic, payload, published_at)
           VALUES (gen_random_uuid(), 'client', 'c', 'care.sessions.SessionAttended.v1', 'not.published.here', '{}', ${publishedAt ?? 'NULL'})`,
        );
      for (let i = 0; i < 3; i++) await insert("now() - interval '2 hours'");
      for (let i = 0; i < 2; i++) await insert("now() - interval '10 minutes'");
      let pruned = 0;
      // A relay that never has anything to send here: it only prunes.
      const producer = {
        send: () => Promise.reject(new Error('nothing should be sent')),
        close: () => Promise.resolve(),
      };
      const relay = new OutboxRelay(
        relayOptions('', { retentionMs: 3_600_000, pruneIntervalMs: 100 }),
        producer,
        quiet,
        {
          pruned: (rows) => (pruned += rows),
        },
      );
      relay.start();
      try {
        await waitFor(
          'the old rows pruned',
          () => Promise.resolve(pruned),
          (n) => n >= 3,
        );
      } finally {
        await relay.stop();
      }
      expect(pruned).toBe(3);
      const left = await dataSource.query<{ recent: boolean }[]>(
        `SELECT published_at > now() - interval '1 hour' AS recent FROM "${SCHEMA}".outbox`,
      );
      expect(left).toEqual([{ recent: true }, { recent: true }]);
    });
  });

  describe('as separate processes', () => {
    const runners: ChildProcess[] = [];
    const prefix = testTopicPrefix('relay-procs');
    const topic = `${prefix}${TOPIC}`;

    beforeAll(async () => {
      await createTopics([topic]);
    });
    beforeEach(clearOutbox);
    afterEach(() => {
      for (const runner of runners.splice(0)) runner.kill('SIGKILL');
    });
    afterAll(async () => {
      await deleteTopics([topic]);
    });

    /** Starts a relay process; its `lines` collect what it prints (LEADER, SENT …). */
    function startRunner(env: Record<string, string>): ScriptProcess {
      const runner = spawnScript(join(__dirname, 'relay-runner.ts'), {
        DATABASE_URL: db.service(SCHEMA).url,
        SCHEMA,
        KAFKA_BROKERS: kafkaBrokers().join(','),
        TOPIC_PREFIX: prefix,
        ...env,
      });
      runners.push(runner.process);
      return runner;
    }

    it('republishes, never loses, events when the relay is killed between send and mark, again and again', async () => {
      const clients = Array.from({ length: 10 }, () => randomUUID());
      const written: Written[] = [];
      for (let i = 0; i < 60; i++) written.push(...(await write(clients[i % 10] ?? '', 5)));
      expect(written).toHaveLength(300);

      const kills = 5;
      for (let k = 0; k < kills; k++) {
        const runner = startRunner({ PAUSE_AFTER_SEND: '1', BATCH_SIZE: '25', HOLDER_ID: `killed-${k}` });
        await waitFor(
          'a batch sent and not yet marked',
          () => Promise.resolve(runner.lines),
          (l) => l.some((line) => line.startsWith('SENT ')),
        );
        runner.process.kill('SIGKILL');
        await runner.exited;
      }
      // Each killed relay sent its first batch (the oldest 25 rows) and never marked it.
      expect(await unpublished()).toBe(300);

      const survivor = startRunner({ BATCH_SIZE: '50', HOLDER_ID: 'survivor' });
      await waitFor('the backlog drained', unpublished, (n) => n === 0, 60_000);
      survivor.process.kill('SIGTERM');
      await survivor.exited;

      const ids = new Set(written.map((w) => w.id));
      const ours = (r: readonly ReceivedRecord[]): ReceivedRecord[] =>
        r.filter((x) => ids.has(x.headers['ce_id'] ?? ''));
      const records = ours(
        await readTopics([topic], (r) => new Set(ours(r).map((x) => x.headers['ce_id'])).size >= 300),
      );
      const delivered = new Set(records.map((r) => r.headers['ce_id']));
      expect(delivered.size).toBe(300); // every event at least once, none missing
      expect(records.length).toBeGreaterThanOrEqual(300 + kills * 25); // the kills really fell between send and mark
      for (const [client, revisions] of firstSeenRevisions(records)) {
        expect(revisions).toEqual(written.filter((w) => w.clientId === client).map((w) => w.revision));
      }
    });

    it('runs one relay of two; the standby takes over within seconds when the active one is killed', async () => {
      const first = startRunner({ HOLDER_ID: 'relay-a' });
      const second = startRunner({ HOLDER_ID: 'relay-b' });
      const leaderOf = (): string | undefined =>
        [first, second]
          .find((r) => r.lines.some((l) => l.startsWith('LEADER ')))
          ?.lines.find((l) => l.startsWith('LEADER '));
      await waitFor(
        'one relay to hold the lease',
        () => Promise.resolve(leaderOf()),
        (l) => l !== undefined,
      );
      const active = first.lines.some((l) => l.startsWith('LEADER ')) ? first : second;
      const standby = active === first ? second : first;
      expect(standby.lines.filter((l) => l.startsWith('LEADER '))).toEqual([]);

      const clients = Array.from({ length: 12 }, () => randomUUID());
      const written: Written[] = [];
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing; i++)
          written.push(...(await write(clients[i % clients.length] ?? '', 1 + (i % 2))));
      })();

      await waitFor(
        'events flowing',
        () => Promise.resolve(written.length),
        (n) => n >= 200,
      );
      const killedAt = Date.now();
      active.process.kill('SIGKILL');
      await waitFor(
        'the standby to take over',
        () => Promise.resolve(standby.lines),
        (lines) => lines.some((l) => l.startsWith('LEADER ')),
        10_000,
      );
      const takeoverMs = Date.now() - killedAt;
      expect(takeoverMs).toBeLessThan(5_000);

      await waitFor(
        'more events after the takeover',
        () => Promise.resolve(written.length),
        (n) => n >= 500,
      );
      writing = false;
      await writer;
      await waitFor('the backlog drained', unpublished, (n) => n === 0, 60_000);

      const ids = new Set(written.map((w) => w.id));
      const records = (
        await readTopics(
          [topic],
          (r) =>
            new Set(r.filter((x) => ids.has(x.headers['ce_id'] ?? '')).map((x) => x.headers['ce_id'])).size >=
            ids.size,
        )
      ).filter((r) => ids.has(r.headers['ce_id'] ?? ''));
      expect(new Set(records.map((r) => r.headers['ce_id'])).size).toBe(ids.size);
      for (const [client, revisions] of firstSeenRevisions(records)) {
        expect(revisions).toEqual(written.filter((w) => w.clientId === client).map((w) => w.revision));
      }
    });
  });

  describe('with a broker of its own that is stopped and restarted mid-stream', () => {
    let broker: LocalKafkaBroker;
    const topic = TOPIC;

    beforeAll(async () => {
      broker = await startOwnKafka('relay');
      await createTopics([topic], { brokers: [broker.bootstrap] });
      await clearOutbox();
    }, 120_000);
    afterAll(async () => {
      await broker.stop();
      broker.wipe();
    });

    it('publishes everything written before, during and after the outage once the broker is back', async () => {
      const producer = new KafkajsProducer({ clientId: 'relay-outage-test', brokers: [broker.bootstrap] });
      const relay = new OutboxRelay(relayOptions(''), producer, quiet);
      relay.start();
      const clients = Array.from({ length: 8 }, () => randomUUID());
      const written: Written[] = [];
      const writeSome = async (n: number): Promise<void> => {
        for (let i = 0; i < n; i++) written.push(...(await write(clients[i % clients.length] ?? '')));
      };
      try {
        await writeSome(100);
        await waitFor('the first events published', unpublished, (n) => n === 0, 30_000);

        await broker.stop();
        await writeSome(100); // accepted while the broker is down
        expect(await unpublished()).toBe(100);

        await broker.ensureRunning();
        await writeSome(100);
        await waitFor('the backlog published after the restart', unpublished, (n) => n === 0, 90_000);
      } finally {
        await relay.stop();
        await producer.close();
      }

      const ids = new Set(written.map((w) => w.id));
      const records = await readTopics(
        [topic],
        (r) => new Set(r.map((x) => x.headers['ce_id'])).size >= ids.size,
        {
          brokers: [broker.bootstrap],
        },
      );
      expect(new Set(records.map((r) => r.headers['ce_id']))).toEqual(ids);
      for (const [client, revisions] of firstSeenRevisions(records)) {
        expect(revisions).toEqual(written.filter((w) => w.clientId === client).map((w) => w.revision));
      }
    }, 180_000);
  });
});
