import { CoalescedPasses } from './coalesced-passes';

/** A pass that waits until the test releases it, counting how many started and how many ran at once. */
function gatedPass() {
  const releases: (() => void)[] = [];
  const state = { started: 0, active: 0, mostAtOnce: 0 };
  const pass = async (): Promise<void> => {
    state.started += 1;
    state.active += 1;
    state.mostAtOnce = Math.max(state.mostAtOnce, state.active);
    await new Promise<void>((resolve) => releases.push(resolve));
    state.active -= 1;
  };
  const releaseNext = async (): Promise<void> => {
    // The next pass starts on a later microtask: wait for it to be waiting.
    while (releases.length === 0) await Promise.resolve();
    releases.shift()?.();
  };
  return { pass, state, releaseNext };
}

describe('CoalescedPasses', () => {
  it('runs one pass when called once, and is idle after it', async () => {
    const { pass, state, releaseNext } = gatedPass();
    const passes = new CoalescedPasses(pass);
    const done = passes.run();
    expect(passes.current).toBeDefined();
    await releaseNext();
    await done;
    expect(state.started).toBe(1);
    expect(passes.current).toBeUndefined();
  });

  it('makes calls during a pass one more pass after it, never two at once', async () => {
    const { pass, state, releaseNext } = gatedPass();
    const passes = new CoalescedPasses(pass);
    const first = passes.run();
    const second = passes.run();
    const third = passes.run();
    await releaseNext();
    await releaseNext();
    await Promise.all([first, second, third]);
    expect(state.started).toBe(2);
    expect(state.mostAtOnce).toBe(1);
  });

  it('rejects with a failing pass and runs again when called after it', async () => {
    let calls = 0;
    const passes = new CoalescedPasses(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('database away')) : Promise.resolve();
    });
    await expect(passes.run()).rejects.toThrow('database away');
    expect(passes.current).toBeUndefined();
    await passes.run();
    expect(calls).toBe(2);
  });
});
