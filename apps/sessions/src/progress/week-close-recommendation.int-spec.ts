import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CareRuleSetKind, Topics, encodeEvent, examplePayload } from '@stepwise/contracts';
import { ILLUSTRATIVE_PROGRAM_SHAPE, ILLUSTRATIVE_PROGRESS, type ProgressRule } from '@stepwise/care-rules';
import { type ServiceApp, http, metricValue, startServiceApp, testTokens, waitFor } from '@stepwise/testing';
import { Clock } from '@stepwise/platform';
import { sessionsDefinition } from '../sessions.definition';
import { clientAdmitted, groupAppointment, siteUpserted } from '../testing/episode-events';
import { evaluationsDone } from '../testing/sessions-app';
import { WeekCloser } from './week-closer';

/*
 * A recommendation that falls due with the calendar alone. A steady client's last documented fact is on day
 * 38 of the episode (five whole weeks): no step-down yet, weeks in program say so. Nothing more is documented;
 * when the clock closes the week holding day 42, the episode is evaluated as of that Sunday and the step-down is
 * made, with its evidence, once.
 */

const SITE = randomUUID();
const NETWORK = randomUUID();
const COUNSELOR_ID = randomUUID();
const client = { clientId: randomUUID(), episodeId: randomUUID() };
// Admitted Monday 3 March 2025 (local midnight in Chicago); six weeks in on Monday 14 April.
const ADMITTED_AT = '2025-03-03T06:00:00.000Z';
// Group sessions Monday, Tuesday and Thursday at 18:00 in Chicago, from 3 March to Thursday 10 April (day 38).
const SESSION_DAYS = Array.from({ length: 6 }, (_, week) => [0, 1, 3].map((d) => week * 7 + d))
  .flat()
  .map((day) => new Date(Date.parse('2025-03-03T23:00:00.000Z') + day * 86_400_000));

let svc: ServiceApp;
let token: string;
let now = new Date('2025-04-11T15:00:00.000Z');

const recommendations = () =>
  svc.dataSource.query<{ direction: string; as_of: string; rule_set_version: string }[]>(
    `SELECT direction, to_char(as_of, 'YYYY-MM-DD') AS as_of, rule_set_version FROM sessions.recommendations
      WHERE episode_id = $1`,
    [client.episodeId],
  );

beforeAll(async () => {
  svc = await startServiceApp(sessionsDefinition, {
    label: 'sessions_week_close',
    envExample: join(__dirname, '../../.env.example'),
    env: { WEEK_CLOSE_INTERVAL_MS: '0' },
  });
  jest.spyOn(svc.app.get(Clock), 'now').mockImplementation(() => now);
  token = await testTokens.valid({ roles: ['counselor'], sites: [SITE] });
  await svc.publish(siteUpserted(SITE, NETWORK));
  await svc.publish(clientAdmitted(client, SITE, COUNSELOR_ID, ADMITTED_AT));
  await svc.publish(
    encodeEvent('AssessmentCompleted', {
      ...examplePayload('AssessmentCompleted'),
      assessmentId: randomUUID(),
      clientId: client.clientId,
      siteId: SITE,
      dimensionRatings: [1, 0, 2, 2, 2, 2],
      assessedAt: '2025-03-03T16:00:00.000Z',
    }),
  );
  const sessions = SESSION_DAYS.map(() => ({ appointmentId: randomUUID(), occurrenceId: randomUUID() }));
  for (const [i, session] of sessions.entries()) {
    const startsAt = (SESSION_DAYS[i] as Date).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + 180 * 60_000).toISOString();
    await svc.publish(groupAppointment(client, session, SITE, COUNSELOR_ID, { startsAt, endsAt }));
  }
  await waitFor(
    'the episode, its assessment and its appointments',
    () =>
      svc.dataSource.query<{ n: string }[]>(
        `SELECT (SELECT count(*) FROM sessions.session_records WHERE episode_id = $1)
              + (SELECT count(*) FROM sessions.assessments WHERE client_id = $2) AS n`,
        [client.episodeId, client.clientId],
      ),
    (rows) => Number(rows[0]?.n) === sessions.length + 1,
    60_000,
  );
  for (const session of sessions) {
    const attended = await http(`${svc.url}/v1/occurrences/${session.occurrenceId}/attendance`, {
      method: 'PUT',
      token,
      json: { entries: [{ appointmentId: session.appointmentId, status: 'present' }] },
    });
    expect(attended.status).toBe(200);
    await evaluationsDone(svc);
  }
  for (const collectedAt of ['2025-03-24T22:30:00Z', '2025-03-31T22:30:00Z', '2025-04-07T22:30:00Z']) {
    const screened = await http(`${svc.url}/v1/drug-screens`, {
      token,
      headers: { 'Idempotency-Key': randomUUID() },
      json: {
        episodeId: client.episodeId,
        collectedAt,
        resultedAt: new Date(Date.parse(collectedAt) + 15 * 60_000).toISOString(),
        result: 'negative',
        substanceCodes: [],
      },
    });
    expect(screened.status).toBe(201);
  }
  await svc.publish(
    encodeEvent('TreatmentPlanReviewed', {
      ...examplePayload('TreatmentPlanReviewed'),
      planId: randomUUID(),
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: SITE,
      goalsMet: 5,
      goalsTotal: 5,
      reviewedAt: '2025-04-07T22:00:00.000Z',
    }),
  );
  await waitFor(
    'the plan review',
    () =>
      svc.dataSource.query<unknown[]>(`SELECT 1 FROM sessions.plan_reviews WHERE episode_id = $1`, [
        client.episodeId,
      ]),
    (rows) => rows.length === 1,
  );
}, 180_000);

afterAll(async () => {
  await svc?.close();
});

describe('a step-down that falls due when a week closes', () => {
  it('is not made while the weeks in program fall short, whatever else the facts show', async () => {
    await svc.app.get(WeekCloser).closeDue();
    expect(await recommendations()).toEqual([]);
  });

  it('is made under the rule sets a network administrator loaded since, which it names', async () => {
    // Scheduling owns the rule sets and publishes each load on the reference topic; sessions applies the
    // version in force when it decides (here: the illustrative numbers, under the provider's own ids).
    const adult = ILLUSTRATIVE_PROGRESS.progress[0] as ProgressRule;
    await svc.publish(
      encodeEvent('CareRuleSetLoaded', {
        recordId: randomUUID(),
        ruleSetId: 'acme-progress@1',
        code: 'acme-progress',
        version: 1,
        kind: CareRuleSetKind.Progress,
        illustrative: false,
        progress: [{ ...adult, stepDown: { ...adult.stepDown, maxDimensionRatings: [2, 2, 2, 2, 2, 2] } }],
        loadedAt: '2025-04-11T16:00:00.000Z',
      }),
    );
    await svc.publish(
      encodeEvent('CareRuleSetLoaded', {
        recordId: randomUUID(),
        ruleSetId: 'acme-shape@1',
        code: 'acme-shape',
        version: 1,
        kind: CareRuleSetKind.ProgramShape,
        illustrative: false,
        programShape: [...ILLUSTRATIVE_PROGRAM_SHAPE.programShape],
        loadedAt: '2025-04-11T16:00:01.000Z',
      }),
    );
    await waitFor(
      'the rule sets',
      () => svc.dataSource.query<unknown[]>(`SELECT 1 FROM sessions.care_rule_sets`),
      (rows) => rows.length === 2,
    );
    now = new Date('2025-04-23T15:00:00.000Z'); // Wednesday: the week of 14 April and its 48 h grace have passed
    await svc.app.get(WeekCloser).closeDue();
    await svc.app.get(WeekCloser).closeDue();
    expect(await recommendations()).toEqual([
      { direction: 'step-down', as_of: '2025-04-20', rule_set_version: 'acme-progress@1' },
    ]);
    const weeks = await svc.dataSource.query<{ week_start: string; minimums_version: string }[]>(
      `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, minimums_version FROM sessions.closed_weeks
        WHERE episode_id = $1 ORDER BY week_start`,
      [client.episodeId],
    );
    expect(weeks.at(-1)).toEqual({ week_start: '2025-04-14', minimums_version: 'acme-shape@1' });
    expect(weeks.at(0)?.minimums_version).toBe('illustrative-program-shape@1');
    const events = await svc.readEvents(Topics.SessionsEvents, (all) =>
      all.some((e) => e.type === 'StepDownRecommended' && e.data.episodeId === client.episodeId),
    );
    const made = events.filter(
      (e) => e.type === 'StepDownRecommended' && e.data.episodeId === client.episodeId,
    );
    expect(made).toHaveLength(1);
    // Counted once, though the week closer ran twice; with the facts that led to it.
    const metrics = (await http(`${svc.url}/metrics`)).text;
    expect(
      metricValue(metrics, 'stepwise_level_of_care_recommendations_total', {
        site: SITE,
        direction: 'step-down',
      }),
    ).toBe(1);
    expect(
      metricValue(metrics, 'stepwise_session_attendance_total', { site: SITE, outcome: 'attended' }),
    ).toBe(SESSION_DAYS.length);
    expect(metricValue(metrics, 'stepwise_drug_screens_total', { site: SITE, result: 'negative' })).toBe(3);
    expect(made[0]?.data).toMatchObject({
      ruleSetVersion: 'acme-progress@1',
      fromLevel: '2.1',
      toLevel: '1',
      evidence: expect.objectContaining({
        weeksInProgram: 6,
        attendanceRate: 1,
        consecutiveNegativeScreens: 3,
        goalsMet: 5,
      }),
    });
  });
});

describe('the expected length of stay', () => {
  const reached = async () =>
    svc.dataSource.query<{ reached_on: string; rule_set_id: string | null }[]>(
      `SELECT to_char(reached_on, 'YYYY-MM-DD') AS reached_on, rule_set_id FROM sessions.stay_reviews
        WHERE episode_id = $1`,
      [client.episodeId],
    );

  it('is not reached the day before admission plus its weeks, and is reached on that day, once', async () => {
    // Admitted Monday 3 March 2025; the program shape in force gives adult IOP 12 weeks: due Monday 26 May.
    now = new Date('2025-05-25T15:00:00.000Z');
    await svc.app.get(WeekCloser).closeDue();
    expect(await reached()).toEqual([]);
    now = new Date('2025-05-26T15:00:00.000Z');
    await svc.app.get(WeekCloser).closeDue();
    await svc.app.get(WeekCloser).closeDue();
    expect(await reached()).toEqual([{ reached_on: '2025-05-26', rule_set_id: 'acme-shape@1' }]);
    const events = await svc.readEvents(Topics.SessionsEvents, (all) =>
      all.some((e) => e.type === 'ExpectedStayReached' && e.data.episodeId === client.episodeId),
    );
    expect(
      events
        .filter((e) => e.type === 'ExpectedStayReached' && e.data.episodeId === client.episodeId)
        .map((e) => e.data),
    ).toEqual([
      expect.objectContaining({ admittedOn: '2025-03-03', expectedStayWeeks: 12, reachedOn: '2025-05-26' }),
    ]);
  });
});
