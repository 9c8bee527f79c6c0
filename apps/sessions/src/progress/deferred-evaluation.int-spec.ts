import { http, metricValue, waitFor } from '@stepwise/testing';
import {
  type Group,
  type Sessions,
  aGroup,
  evaluationsDone,
  rosterOf,
  useSessions,
} from '../testing/sessions-app';
import { EvaluateEpisode } from './evaluate-episode';

/*
 * The attendance request marks its episodes due and answers; their progress is evaluated after its commit.
 * Here the evaluation itself is wrapped (its real work still runs) so a test can fail it or hold it.
 */
const sessions = useSessions('sessions_deferred_evaluation');

const put = (s: Sessions, group: Group, roster = rosterOf(group.clients)) =>
  http(`${s.svc.url}/v1/occurrences/${group.occurrence}/attendance`, {
    method: 'PUT',
    token: group.token,
    json: roster,
  });

const markOf = async (s: Sessions, episodeId: string) => {
  const [mark] = await s.svc.dataSource.query<{ attempts: number; put_off: boolean }[]>(
    // Put off: due again only some time after it was marked (a fact of the row, not of how late we look).
    `SELECT attempts, not_before > marked_at AS put_off FROM sessions.evaluations_due WHERE episode_id = $1`,
    [episodeId],
  );
  return mark;
};

/** Wraps the app's evaluation: `around` decides, per call, what happens before the real work runs. */
function aroundEvaluation(s: Sessions, around: (episodeId: string) => Promise<void>): string[] {
  const evaluate = s.svc.app.get(EvaluateEpisode);
  const real = evaluate.runAll.bind(evaluate);
  const calls: string[] = [];
  jest.spyOn(evaluate, 'runAll').mockImplementation(async (tx, episodeIds) => {
    calls.push(...episodeIds);
    for (const episodeId of episodeIds) await around(episodeId);
    return real(tx, episodeIds);
  });
  return calls;
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('progress evaluated after the attendance request', () => {
  it('keeps the mark of an episode whose evaluation failed, puts it off, and evaluates the others', async () => {
    // Both are claimed in one batch, which fails; then one at a time: only the failing one is put off.
    const s = sessions();
    const group = await aGroup(s, 2);
    const [failing, other] = group.clients.map((c) => c.episodeId) as [string, string];
    const calls = aroundEvaluation(s, (episodeId) =>
      episodeId === failing ? Promise.reject(new Error('the rules could not run')) : Promise.resolve(),
    );

    expect((await put(s, group)).status).toBe(200);

    await waitFor(
      'the failed evaluation put off',
      () => markOf(s, failing),
      (mark) => (mark?.attempts ?? 0) >= 1,
    );
    // At least once: a slow machine may reach the retry (due again 2 s later, found by the 5 s poll) first.
    expect(await markOf(s, failing)).toEqual({ attempts: expect.any(Number), put_off: true });
    expect(calls).toContain(other);
    expect(await markOf(s, other)).toBeUndefined();
    // Operations see it: one episode due, retrying, its mark aging (the gauges read the table at the scrape).
    const gauges = async () => {
      const text = (await http(`${s.svc.url}/metrics`)).text;
      return ['evaluations_due', 'evaluations_retrying', 'evaluation_oldest_age_seconds'].map((name) =>
        metricValue(text, `stepwise_progress_${name}`),
      );
    };
    expect(await gauges()).toEqual([1, 1, expect.any(Number)]);
    expect((await gauges())[2]).toBeGreaterThan(0);

    // When it is due again and the rules run, the episode is evaluated and its mark goes.
    jest.restoreAllMocks();
    await s.svc.dataSource.query(
      `UPDATE sessions.evaluations_due SET not_before = now() WHERE episode_id = $1`,
      [failing],
    );
    await evaluationsDone(s.svc);
    expect(await gauges()).toEqual([0, 0, 0]);
  });

  it('evaluates an episode again when a request changed it while its evaluation ran', async () => {
    const s = sessions();
    const group = await aGroup(s, 1);
    const [episodeId] = group.clients.map((c) => c.episodeId) as [string];
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const calls = aroundEvaluation(s, async () => {
      if (calls.length > 1) return;
      started();
      await held;
    });

    expect((await put(s, group)).status).toBe(200);
    await running;
    // A correction while the first evaluation holds the episode's mark: it waits for that evaluation.
    const correction = put(s, group, rosterOf(group.clients, { 0: { status: 'late', minutesAttended: 60 } }));
    release();
    expect((await correction).status).toBe(200);
    await evaluationsDone(s.svc);
    expect(calls).toEqual([episodeId, episodeId]);
  });
});
