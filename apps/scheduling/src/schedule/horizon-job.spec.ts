import { Logger } from '@nestjs/common';
import { ManualClock } from '@stepwise/platform';
import { type ExtendHorizon, type ExtensionResult } from './extend-horizon';
import { HorizonJob } from './horizon-job';

const RESULT: ExtensionResult = { sites: 1, appointments: 4, belowMinimum: 0 };
const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** The extension, answering what each run is given to answer (a result by default), its runs recorded. */
class FakeExtension {
  readonly runs: string[] = [];
  readonly answers: (() => Promise<ExtensionResult | undefined>)[] = [];

  execute(now: Date): Promise<ExtensionResult | undefined> {
    this.runs.push(now.toISOString());
    return this.answers.shift()?.() ?? Promise.resolve(RESULT);
  }
}

function world(): { job: HorizonJob; extension: FakeExtension; clock: ManualClock } {
  const extension = new FakeExtension();
  const clock = new ManualClock('2027-03-03T15:00:00.000Z');
  return { job: new HorizonJob(extension as unknown as ExtendHorizon, clock), extension, clock };
}

describe('HorizonJob', () => {
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs 10 s after the service is up, then once per day of the clock (checked every 15 min)', async () => {
    const { job, extension, clock } = world();
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(9_999);
    expect(extension.runs).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(extension.runs).toEqual(['2027-03-03T15:00:00.000Z']);
    await jest.advanceTimersByTimeAsync(4 * QUARTER_HOUR_MS);
    expect(extension.runs).toHaveLength(1);
    clock.set('2027-03-04T00:05:00.000Z');
    await jest.advanceTimersByTimeAsync(QUARTER_HOUR_MS);
    expect(extension.runs).toEqual(['2027-03-03T15:00:00.000Z', '2027-03-04T00:05:00.000Z']);
    await job.beforeApplicationShutdown();
  });

  it('tries again at the next check after a failed run or one another replica held', async () => {
    const { job, extension } = world();
    extension.answers.push(
      () => Promise.reject(new Error('connection lost')),
      () => Promise.resolve(undefined),
    );
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10_000 + 3 * QUARTER_HOUR_MS);
    expect(extension.runs).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(QUARTER_HOUR_MS);
    expect(extension.runs).toHaveLength(3);
    await job.beforeApplicationShutdown();
  });

  it('on shutdown starts no new run and waits for the one in progress', async () => {
    const { job, extension } = world();
    let finish: (result: ExtensionResult) => void = () => undefined;
    extension.answers.push(() => new Promise((resolve) => (finish = resolve)));
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10_000);
    let stopped = false;
    const stopping = job.beforeApplicationShutdown().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(QUARTER_HOUR_MS);
    expect(stopped).toBe(false);
    finish(RESULT);
    await stopping;
    expect(extension.runs).toHaveLength(1);
  });
});
