import { type IncomingRecord } from '../broker/subscriber';
import { DeferredCommits } from './deferred-commits';

function record(partition: number, offset: number): IncomingRecord {
  return { topic: 't', partition, offset: String(offset), key: null, value: null, headers: {} };
}

describe(DeferredCommits.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setUp(commit: (r: IncomingRecord) => Promise<void> = () => Promise.resolve()) {
    const committed: string[] = [];
    const errors: unknown[] = [];
    const sut = new DeferredCommits(250, (error) => errors.push(error));
    const spy = jest.fn(async (r: IncomingRecord) => {
      await commit(r);
      committed.push(`${r.partition}@${r.offset}`);
    });
    return { sut, spy, committed, errors };
  }

  it('commits nothing at once, then the newest record of each partition within the delay', async () => {
    const { sut, spy, committed } = setUp();
    sut.note(record(0, 1), spy);
    sut.note(record(0, 2), spy);
    sut.note(record(1, 7), spy);
    expect(spy).not.toHaveBeenCalled();

    await jest.advanceTimersByTimeAsync(250);
    expect(committed.sort()).toEqual(['0@2', '1@7']);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(sut.pending).toBe(0);
  });

  it('flush commits what was noted at once and waits for it', async () => {
    const { sut, spy, committed } = setUp();
    sut.note(record(3, 4), spy);
    await sut.flush();
    expect(committed).toEqual(['3@4']);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(spy).toHaveBeenCalledTimes(1); // the timer was cancelled: no second commit
  });

  it('sends one commit exchange at a time, in the order the records were noted', async () => {
    let answer: () => void = () => undefined;
    const slow = (r: IncomingRecord): Promise<void> =>
      r.offset === '1' ? new Promise((resolve) => (answer = resolve)) : Promise.resolve();
    const { sut, spy, committed } = setUp(slow);
    sut.note(record(0, 1), spy);
    const first = sut.flush();
    await jest.advanceTimersByTimeAsync(0); // its exchange is in flight, unanswered
    sut.note(record(0, 2), spy);
    const second = sut.flush();
    await jest.advanceTimersByTimeAsync(0);
    // The later offset waits for the earlier one: a commit can never move a partition backwards.
    expect(spy).toHaveBeenCalledTimes(1);
    answer();
    await Promise.all([first, second]);
    expect(committed).toEqual(['0@1', '0@2']);
  });

  it('keeps a failed offset, reports the failure and commits it at the next attempt', async () => {
    let failures = 1;
    const flaky = (): Promise<void> =>
      failures-- > 0 ? Promise.reject(new Error('coordinator away')) : Promise.resolve();
    const { sut, spy, committed, errors } = setUp(flaky);
    sut.note(record(0, 5), spy);
    await jest.advanceTimersByTimeAsync(250);
    expect(errors).toEqual([new Error('coordinator away')]);
    expect(sut.pending).toBe(1);

    await jest.advanceTimersByTimeAsync(250);
    expect(committed).toEqual(['0@5']);
    expect(sut.pending).toBe(0);
  });

  it('drops a failed offset when a later one of its partition was noted meanwhile', async () => {
    let fail = true;
    const { sut, spy, committed } = setUp(() => {
      if (!fail) return Promise.resolve();
      fail = false;
      sut.note(record(0, 9), spy); // arrives while the first commit is in flight
      return Promise.reject(new Error('coordinator away'));
    });
    sut.note(record(0, 5), spy);
    await expect(sut.flush()).rejects.toThrow('coordinator away');
    await sut.flush();
    expect(committed).toEqual(['0@9']);
  });

  it('rejects flush when a commit failed, so a leaving partition knows', async () => {
    const { sut, spy } = setUp(() => Promise.reject(new Error('not the coordinator')));
    sut.note(record(2, 1), spy);
    await expect(sut.flush()).rejects.toThrow('not the coordinator');
  });
});
