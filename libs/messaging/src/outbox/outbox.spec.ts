import { randomUUID } from 'node:crypto';
import { examplePayload } from '@stepwise/contracts';
import { runWithTraceparent } from '@stepwise/platform';
import { type EntityManager } from 'typeorm';
import { Outbox, type PendingEvent, pendingEvent } from './outbox';

interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** A transaction's manager that records what an append sends and answers every statement with no rows. */
function recordingManager(transactionActive = true): { manager: EntityManager; statements: Statement[] } {
  const statements: Statement[] = [];
  const fake = {
    queryRunner: { isTransactionActive: transactionActive },
    query: (sql: string, params: unknown[] = []) => {
      statements.push({ sql, params });
      return Promise.resolve([]);
    },
  };
  return { manager: fake as unknown as EntityManager, statements };
}

const attended = (clientId: string, revision = 1): PendingEvent =>
  pendingEvent('SessionAttended', examplePayload('SessionAttended', { clientId, revision }));

const isLock = (s: Statement): boolean =>
  s.sql.includes('pg_advisory_xact_lock') && !s.sql.includes('INSERT');
const isInsert = (s: Statement): boolean => s.sql.trimStart().startsWith('INSERT');

describe('Outbox.appendAll', () => {
  const outbox = new Outbox('sessions');

  it('sends no statement for an empty list', async () => {
    const { manager, statements } = recordingManager();
    await expect(outbox.appendAll(manager, [])).resolves.toEqual([]);
    expect(statements).toEqual([]);
  });

  it('refuses to append outside a transaction, an empty list included', async () => {
    const { manager, statements } = recordingManager(false);
    await expect(outbox.appendAll(manager, [attended(randomUUID())])).rejects.toThrow(
      'SessionAttended must be appended inside the transaction',
    );
    await expect(outbox.appendAll(manager, [])).rejects.toThrow('must be appended inside the transaction');
    expect(statements).toEqual([]);
  });

  it('appends a single event as a single append does: one statement that takes its key lock and inserts', async () => {
    const { manager, statements } = recordingManager();
    const [message] = await outbox.appendAll(manager, [attended(randomUUID())]);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.sql).toContain('pg_advisory_xact_lock');
    expect(statements[0]?.params[0]).toBe(message?.headers['ce_id']);
  });

  it("takes every key's lock once, in sorted order, before it inserts any row", async () => {
    const { manager, statements } = recordingManager();
    const keys = Array.from({ length: 5 }, () => randomUUID());
    const events = [...keys, ...[...keys].reverse()].map((key) => attended(key));
    await outbox.appendAll(manager, events);
    expect(statements.map((s) => (isLock(s) ? 'lock' : isInsert(s) ? 'insert' : s.sql))).toEqual([
      'lock',
      'insert',
    ]);
    expect(statements[0]?.params[0]).toEqual([...keys].sort());
  });

  it('inserts 4,500 events in chunks of 2,000 rows, in list order', async () => {
    const { manager, statements } = recordingManager();
    const keys = Array.from({ length: 7 }, () => randomUUID());
    const events = Array.from({ length: 4_500 }, (_, i) => attended(keys[i % keys.length] ?? '', i + 1));
    const messages = await outbox.appendAll(manager, events);
    const inserts = statements.filter(isInsert);
    const ids = (s: Statement): unknown[] => s.params[0] as unknown[];
    expect(inserts.map((s) => ids(s).length)).toEqual([2_000, 2_000, 500]);
    expect(inserts.flatMap(ids)).toEqual(messages.map((m) => m.headers['ce_id']));
    expect(messages.map((m) => m.key)).toEqual(
      events.map((e) => (e.payload as { clientId: string }).clientId),
    );
  });

  it('encodes a row exactly as a single append does, trace context included', async () => {
    const event = pendingEvent(
      'SessionAttended',
      examplePayload('SessionAttended', { clientId: randomUUID() }),
      {
        id: randomUUID(),
        time: new Date('2026-03-02T15:00:00Z'),
      },
    );
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const single = recordingManager();
    const bulk = recordingManager();
    await runWithTraceparent(traceparent, async () => {
      await outbox.append(single.manager, event.type, event.payload, event.options);
      await outbox.appendAll(bulk.manager, [event, attended(randomUUID())]);
    });
    const singleRow = single.statements[0]?.params ?? [];
    const insert = bulk.statements.find(isInsert);
    const firstBulkRow = ((insert?.params ?? []) as unknown[][]).map((column) => column[0]);
    expect(firstBulkRow).toEqual(singleRow);
    expect(singleRow).toHaveLength(7);
    expect(JSON.parse(String(singleRow[6]))).toMatchObject({ ce_id: event.options?.id, traceparent });
  });
});
