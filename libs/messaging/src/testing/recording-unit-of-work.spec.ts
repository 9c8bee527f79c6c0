import { examplePayload } from '@stepwise/contracts';
import { NO_DATABASE, RecordingUnitOfWork } from './recording-unit-of-work';

describe('RecordingUnitOfWork', () => {
  it('keeps the events and key locks of work that succeeded, in order', async () => {
    const uow = new RecordingUnitOfWork();
    await uow.run(async (tx) => {
      await tx.lockKey('client-1');
      await tx.publish('SessionAttended', examplePayload('SessionAttended'));
      await tx.publishAll([{ type: 'SessionMissed', payload: examplePayload('SessionMissed') }]);
    });
    expect(uow.published.map((event) => event.type)).toEqual(['SessionAttended', 'SessionMissed']);
    expect(uow.payloads('SessionMissed')).toEqual([examplePayload('SessionMissed')]);
    expect(uow.locks).toEqual(['client-1']);
  });

  it('drops what failed work published, as a rollback does', async () => {
    const uow = new RecordingUnitOfWork();
    const failing = uow.run(async (tx) => {
      await tx.publish('SessionAttended', examplePayload('SessionAttended'));
      throw new Error('conflict');
    });
    await expect(failing).rejects.toThrow('conflict');
    expect(uow.published).toEqual([]);
  });

  it('runs after-commit effects of work that succeeded, once, and never those of failed work', async () => {
    const uow = new RecordingUnitOfWork();
    const effects: string[] = [];
    await uow.run((tx) => {
      tx.afterCommit(() => effects.push('committed'));
      return Promise.resolve();
    });
    await expect(
      uow.run((tx) => {
        tx.afterCommit(() => effects.push('rolled back'));
        return Promise.reject(new Error('conflict'));
      }),
    ).rejects.toThrow('conflict');
    expect(effects).toEqual(['committed']);
  });

  it('refuses a payload its contract rejects, as the outbox does', async () => {
    const uow = new RecordingUnitOfWork();
    const invalid = { ...examplePayload('SessionAttended'), clientId: 'not-a-uuid' };
    await expect(uow.run((tx) => tx.publish('SessionAttended', invalid))).rejects.toThrow(/clientId/);
  });

  it('fails loudly when a use case reaches the database itself', () => {
    expect(() => NO_DATABASE.query('SELECT 1')).toThrow(/reached the database \(query\)/);
  });
});
