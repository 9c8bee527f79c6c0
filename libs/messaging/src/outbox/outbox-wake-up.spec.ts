import { type LocalRelay, type OutboxWakeUp, preferLocalRelay } from './outbox-wake-up';

describe('preferLocalRelay', () => {
  function setUp(isLeader: boolean) {
    const calls: string[] = [];
    const relay: LocalRelay = { isLeader, committed: () => calls.push('local') };
    const elsewhere: OutboxWakeUp = { committed: () => calls.push('notify') };
    return { calls, wakeUp: preferLocalRelay(relay, elsewhere) };
  }

  it('wakes the relay of this process directly while it holds the lease, and notifies nobody', () => {
    const { calls, wakeUp } = setUp(true);
    wakeUp.committed();
    expect(calls).toEqual(['local']);
  });

  it("notifies the other replicas' relay when this process's relay is a standby", () => {
    const { calls, wakeUp } = setUp(false);
    wakeUp.committed();
    expect(calls).toEqual(['notify']);
  });
});
