import { AsyncLocalStorage } from 'node:async_hooks';
import { Outbox, RecordingUnitOfWork, Transaction } from '@stepwise/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { RecordingEvaluation } from '../testing/doubles';
import { DeferredEvaluation } from './deferred-evaluation';

describe('DeferredEvaluation.markAndLock', () => {
  it('marks each episode once and takes its lock in one statement, and wakes the drain after the commit, outside the request', async () => {
    const statements: unknown[][] = [];
    // Only the statement's parameters matter here (the marks' ids, then the locks' keys); the int-specs run
    // it against Postgres.
    const manager = {
      query: (_sql: string, parameters: unknown[]) => {
        statements.push(parameters);
        return Promise.resolve([]);
      },
    } as unknown as EntityManager;
    const evaluation = new DeferredEvaluation(
      new RecordingUnitOfWork(),
      new RecordingEvaluation(),
      new DataSource({ type: 'postgres' }),
    );
    // Stands for the request-scoped context the logger and the tracer keep (request id, trace).
    const request = new AsyncLocalStorage<string>();
    const woken: string[] = [];
    jest.spyOn(evaluation, 'drain').mockImplementation(() => {
      woken.push(request.getStore() ?? 'no request');
      return Promise.resolve();
    });
    const tx = new Transaction(manager, new Outbox('unit-test'));

    await request.run('request-1', async () => {
      await evaluation.markAndLock(tx, ['b-episode', 'a-episode', 'b-episode']);
      expect(woken).toEqual([]);
      tx.committed();
    });

    expect(statements).toEqual([
      [
        ['a-episode', 'b-episode'],
        ['sessions-episode:a-episode', 'sessions-episode:b-episode'],
      ],
    ]);
    expect(woken).toEqual(['no request']);
  });
});
