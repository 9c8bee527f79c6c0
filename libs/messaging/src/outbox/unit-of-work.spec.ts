import { randomUUID } from 'node:crypto';
import { examplePayload } from '@stepwise/contracts';
import { type DataSource } from 'typeorm';
import { Outbox, pendingEvent } from './outbox';
import { UnitOfWork } from './unit-of-work';

/** A data source whose one-statement queries fail with `failures` (Postgres error codes) first, then succeed. */
function failingThen(failures: string[]): { dataSource: DataSource; statements: () => number } {
  let statements = 0;
  const manager = {
    query: () => {
      statements += 1;
      const code = failures.shift();
      return code === undefined
        ? Promise.resolve([{ sequence: '1' }])
        : Promise.reject(Object.assign(new Error(code), { code }));
    },
  };
  return { dataSource: { manager } as unknown as DataSource, statements: () => statements };
}

const change = { sql: 'INSERT INTO facts (id) VALUES ($1) RETURNING id', parameters: [randomUUID()] };
const event = pendingEvent('SessionAttended', examplePayload('SessionAttended'));

describe('UnitOfWork.runStatement', () => {
  it('sends the statement again when Postgres aborted it as a deadlock victim, and reports the retry', async () => {
    const { dataSource, statements } = failingThen(['40P01']);
    const retries: string[] = [];
    let wakes = 0;
    const unit = new UnitOfWork(
      dataSource,
      new Outbox('sessions'),
      { committed: () => (wakes += 1) },
      { onRetry: (code) => retries.push(code) },
    );
    await expect(unit.runStatement(change, event)).resolves.toMatchObject({ changed: true });
    expect(statements()).toBe(2);
    expect(retries).toEqual(['40P01']);
    expect(wakes).toBe(1);
  });

  it('fails with any other error at once, and wakes nobody', async () => {
    const { dataSource, statements } = failingThen(['23505']);
    let wakes = 0;
    const unit = new UnitOfWork(dataSource, new Outbox('sessions'), { committed: () => (wakes += 1) });
    await expect(unit.runStatement(change, event)).rejects.toMatchObject({ code: '23505' });
    expect(statements()).toBe(1);
    expect(wakes).toBe(0);
  });
});
