import { randomUUID } from 'node:crypto';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { CANARY_VALUES, admissionBody, clientBody, newReferenceWorld, planBody } from '../testing/fixtures';
import { countRows, expectCleanEvents, outboxEvents, startIntake } from '../testing/harness';

/* Treatment plans on the real service: versions, signatures, reviews with goals met. */

const world = newReferenceWorld();
const counselorId = randomUUID();
let svc: ServiceApp;
let coordinator: string;
let counselor: string;

type Json = Record<string, unknown>;

async function episode(): Promise<{ clientId: string; episodeId: string }> {
  const client = await http<Json>(`${svc.url}/v1/clients`, {
    token: coordinator,
    json: clientBody(world.siteA),
  });
  const clientId = String(client.body.id);
  const admitted = await http<Json>(`${svc.url}/v1/clients/${clientId}/admissions`, {
    token: coordinator,
    json: admissionBody(world.siteA, world.adultIopA),
  });
  return { clientId, episodeId: String(admitted.body.id) };
}

const post = (path: string, json: unknown) => http<Json>(`${svc.url}${path}`, { token: counselor, json });
const TODAY = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_plans', world, waitFor);
  coordinator = await testTokens.valid({
    sub: randomUUID(),
    roles: ['intake-coordinator'],
    sites: [world.siteA],
  });
  counselor = await testTokens.valid({ sub: counselorId, roles: ['counselor'], sites: [world.siteA] });
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('a treatment plan', () => {
  it('is drafted, signed (TreatmentPlanSigned), revised as version 2 keeping goal ids, and reviewed', async () => {
    const { clientId, episodeId } = await episode();
    const draft = await post(`/v1/episodes/${episodeId}/plans`, planBody());
    expect(draft).toMatchObject({ status: 201, body: { version: 1, status: 'draft', signedAt: null } });
    const goalIds = draft.body.goalIds as string[];
    expect(goalIds).toHaveLength(2);

    const signed = await post(`/v1/plans/${String(draft.body.id)}/signature`, { clientSignedOn: TODAY });
    expect(signed).toMatchObject({
      status: 200,
      body: { status: 'signed', signedBy: counselorId, clientSignedOn: TODAY },
    });
    const [event] = (await outboxEvents(svc, 'TreatmentPlanSigned')).filter(
      (e) => e.payload['planId'] === draft.body.id,
    );
    expect(event?.payload).toEqual({
      planId: draft.body.id,
      episodeId,
      clientId,
      siteId: world.siteA,
      version: 1,
      goalIds,
      signedBy: counselorId,
      signedAt: signed.body.signedAt,
      reviewDueOn: signed.body.reviewDueOn,
    });
    expectProblem(
      await post(`/v1/plans/${String(draft.body.id)}/signature`, { clientSignedOn: TODAY }),
      409,
      'invalid-transition',
    );

    const second = await post(`/v1/episodes/${episodeId}/plans`, planBody([goalIds[0], undefined]));
    expect(second.body).toMatchObject({ version: 2, status: 'draft' });
    expect((second.body.goalIds as string[])[0]).toBe(goalIds[0]);
    await post(`/v1/plans/${String(second.body.id)}/signature`, { clientSignedOn: TODAY });
    const first = await http<Json>(`${svc.url}/v1/plans/${String(draft.body.id)}`, { token: counselor });
    expect(first.body['status']).toBe('superseded');

    const review = await post(`/v1/plans/${String(second.body.id)}/reviews`, {
      goalsMet: [goalIds[0]],
      reviewedAt: new Date().toISOString(),
    });
    expect(review).toMatchObject({ status: 201, body: { goalsTotal: 2, reviewedBy: counselorId } });
    const [reviewed] = (await outboxEvents(svc, 'TreatmentPlanReviewed')).filter(
      (e) => e.payload['planId'] === second.body.id,
    );
    expect(reviewed?.payload).toMatchObject({
      version: 2,
      goalsMet: 1,
      goalsTotal: 2,
      reviewedBy: counselorId,
      episodeId,
      clientId,
    });
    expectProblem(
      await post(`/v1/plans/${String(draft.body.id)}/reviews`, {
        goalsMet: [],
        reviewedAt: new Date().toISOString(),
      }),
      409,
      'invalid-transition',
    );
    const versions = await http<Json[]>(`${svc.url}/v1/episodes/${episodeId}/plans`, { token: counselor });
    expect(versions.body.map((p) => [p['version'], p['status']])).toEqual([
      [1, 'superseded'],
      [2, 'signed'],
    ]);
  });

  it('keeps its text encrypted in the database, readable through the API only', async () => {
    const { episodeId } = await episode();
    const draft = await post(`/v1/episodes/${episodeId}/plans`, planBody());
    const [row] = await svc.dataSource.query<
      { problems: unknown; problems_sealed: Buffer; problems_key: Buffer; kek_id: string; raw: string }[]
    >(
      `SELECT problems, problems_sealed, problems_key, kek_id, row_to_json(p)::text AS raw
         FROM intake.treatment_plans p WHERE id = $1`,
      [draft.body.id],
    );
    // What a database reader sees: no plain problems, and no trace of the text in any column.
    expect(row?.problems).toBeNull();
    expect(row?.kek_id).toBe('kek-1');
    for (const text of [
      'Alcohol use disorder',
      'sustain abstinence',
      'Relapse prevention group',
      ...CANARY_VALUES,
    ])
      expect(row?.raw).not.toContain(text);
    expect(row?.problems_sealed.includes(Buffer.from('abstinence'))).toBe(false);
    // What the counselor sees: the plan as written.
    const read = await http<Json>(`${svc.url}/v1/plans/${String(draft.body.id)}`, { token: counselor });
    expect(read.body['problems']).toEqual(draft.body['problems']);
    expect(JSON.stringify(read.body['problems'])).toContain('Goal 1: sustain abstinence');
  });

  it('takes a plan signed on paper and entered later, with reviews dated from the client signature on', async () => {
    const { episodeId } = await episode();
    const draft = await post(`/v1/episodes/${episodeId}/plans`, planBody());
    const planId = String(draft.body.id);
    const goalIds = draft.body.goalIds as string[];
    // Admitted 2026-03-02; the client signed on the 4th; the plan reaches the system today.
    await post(`/v1/plans/${planId}/signature`, { clientSignedOn: '2026-03-04' });
    const review = await post(`/v1/plans/${planId}/reviews`, {
      goalsMet: [goalIds[0]],
      reviewedAt: '2026-04-03T16:00:00Z',
    });
    expect(review).toMatchObject({ status: 201, body: { goalsTotal: 2 } });
    expectProblem(
      await post(`/v1/plans/${planId}/reviews`, { goalsMet: [], reviewedAt: '2026-03-03T16:00:00Z' }),
      422,
      'unprocessable',
    );
  });

  it('refuses goals of another plan (422) and plans of a discharged episode (409)', async () => {
    const { episodeId } = await episode();
    expectProblem(
      await post(`/v1/episodes/${episodeId}/plans`, planBody([randomUUID()])),
      422,
      'unprocessable',
    );
    const supervisor = await testTokens.valid({
      sub: randomUUID(),
      roles: ['clinical-supervisor'],
      sites: [world.siteA],
    });
    await http(`${svc.url}/v1/episodes/${episodeId}/discharge`, {
      token: supervisor,
      json: { dischargedAt: new Date().toISOString(), reason: 'administrative', referredTo: [] },
    });
    expectProblem(await post(`/v1/episodes/${episodeId}/plans`, planBody()), 409, 'invalid-transition');
  });
});

describe('bad input', () => {
  let episodeId = '';
  let draftId = '';
  let signedId = '';
  let goalId = '';
  beforeAll(async () => {
    episodeId = (await episode()).episodeId;
    const signed = await post(`/v1/episodes/${episodeId}/plans`, planBody());
    signedId = String(signed.body.id);
    goalId = (signed.body.goalIds as string[])[0] ?? '';
    await post(`/v1/plans/${signedId}/signature`, { clientSignedOn: TODAY });
    draftId = String((await post(`/v1/episodes/${(await episode()).episodeId}/plans`, planBody())).body.id);
  });
  const writes = () => countRows(svc, 'treatment_plans', 'treatment_plan_reviews', 'outbox');

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/episodes/${episodeId}/plans`;
      },
      validBody: planBody(),
      idempotent: true,
      extraCases: [
        {
          name: 'a goal without objectives',
          json: {
            problems: [
              { description: 'x', goals: [{ description: 'g', objectives: [], interventions: [] }] },
            ],
          },
          status: 400,
          code: 'validation-failed',
        },
        { name: 'no problems', json: { problems: [] }, status: 400, code: 'validation-failed' },
        {
          name: 'an unknown episode',
          path: `/v1/episodes/${randomUUID()}/plans`,
          json: planBody(),
          status: 404,
          code: 'not-found',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: counselor, countWrites: writes }),
  );

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/plans/${draftId}/signature`;
      },
      validBody: { clientSignedOn: TODAY },
      extraCases: [
        {
          name: 'a signature in the future',
          json: { clientSignedOn: '2999-01-01' },
          status: 422,
          code: 'unprocessable',
        },
      ],
    },
    () => ({
      baseUrl: svc.url,
      token: counselor,
      countWrites: async () =>
        (await writes()) + (await countRows(svc, "treatment_plans WHERE status = 'signed'")),
    }),
  );

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/plans/${signedId}/reviews`;
      },
      get validBody() {
        return { goalsMet: [goalId], reviewedAt: new Date().toISOString() };
      },
      idempotent: true,
      extraCases: [
        {
          name: 'a goal of no plan',
          json: { goalsMet: [randomUUID()], reviewedAt: new Date().toISOString() },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'a review in the future',
          json: { goalsMet: [], reviewedAt: '2999-01-01T00:00:00Z' },
          status: 422,
          code: 'unprocessable',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: counselor, countWrites: writes }),
  );
});

describe('events', () => {
  it('every event written validates against its contract and carries no PHI (plan text included)', async () => {
    expect(
      await expectCleanEvents(svc, [...CANARY_VALUES, 'sustain abstinence', 'Relapse prevention group']),
    ).toBeGreaterThan(5);
  });
});
