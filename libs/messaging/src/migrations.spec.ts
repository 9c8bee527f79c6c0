import { messagingMigrations } from './migrations';

describe('messagingMigrations', () => {
  it('keeps the names every deployed schema has recorded, in timestamp order', () => {
    // A renamed migration would run again on every existing schema: these names are history.
    expect(messagingMigrations('sessions').map((Migration) => new Migration().name)).toEqual([
      'CreateOutbox1763856000000',
      'OutboxNotify1763856100000',
      'CreateInbox1763950000000',
      'OutboxWakeUpAfterCommit1764100000000',
      'OutboxAutovacuum1764200000000',
    ]);
  });
});
