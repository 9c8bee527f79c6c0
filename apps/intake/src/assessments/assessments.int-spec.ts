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
import { CANARY_VALUES, admissionBody, clientBody, newReferenceWorld } from '../testing/fixtures';
import { countRows, expectCleanEvents, outboxEvents, startIntake } from '../testing/harness';
import { ILLUSTRATIVE_EXAMPLES } from './asam-rules';

/* ASAM assessments on the real service: the illustrative rule set's documented cases, overrides, loaded rule sets. */

const world = newReferenceWorld();
const clinician = randomUUID();
let svc: ServiceApp;
let coordinator: string;
let director: string;
let clientId: string;

type Json = Record<string, unknown>;
const ASSESSED_AT = '2026-03-02T16:00:00Z';

const assess = (body: Json, client = clientId) =>
  http<Json>(`${svc.url}/v1/clients/${client}/assessments`, { token: coordinator, json: body });

const eventOf = async (assessmentId: unknown): Promise<Json | undefined> =>
  (await outboxEvents(svc, 'AssessmentCompleted')).find((e) => e.payload['assessmentId'] === assessmentId)
    ?.payload;

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_assessments', world, waitFor);
  coordinator = await testTokens.valid({
    sub: clinician,
    roles: ['intake-coordinator'],
    sites: [world.siteA],
  });
  director = await testTokens.valid({ sub: randomUUID(), roles: ['program-director'], sites: [world.siteA] });
  const client = await http<Json>(`${svc.url}/v1/clients`, {
    token: coordinator,
    json: clientBody(world.siteA),
  });
  clientId = String(client.body.id);
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('the illustrative default rule set', () => {
  it.each(ILLUSTRATIVE_EXAMPLES.map(([ratings, level]) => [ratings.join(','), level, ratings] as const))(
    'recommends for ratings %s level %s and publishes AssessmentCompleted',
    async (_name, level, ratings) => {
      const result = await assess({ dimensionRatings: ratings, assessedAt: ASSESSED_AT });
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({
        kind: 'initial',
        computedLevel: level,
        recommendedLevel: level,
        ruleSetVersion: 'illustrative-asam@1',
        overrideLevel: null,
      });
      expect(await eventOf(result.body.id)).toEqual({
        assessmentId: result.body.id,
        clientId,
        siteId: world.siteA,
        dimensionRatings: ratings,
        recommendedLevel: level,
        assessedBy: clinician,
        assessedAt: '2026-03-02T16:00:00.000Z',
      });
    },
  );

  it('is listed as illustrative and the default', async () => {
    const sets = await http<Json[]>(`${svc.url}/v1/asam-rule-sets`, { token: coordinator });
    expect(sets.body).toEqual([
      expect.objectContaining({ ruleSetVersion: 'illustrative-asam@1', illustrative: true, isDefault: true }),
    ]);
  });
});

describe('overrides', () => {
  it("record the clinician's level with a reason code, keeping the computed one", async () => {
    const result = await assess({
      dimensionRatings: [1, 0, 2, 1, 2, 1],
      assessedAt: ASSESSED_AT,
      overrideLevel: '2.5',
      overrideReason: 'co-occurring-needs',
    });
    expect(result.body).toMatchObject({
      computedLevel: '2.1',
      overrideLevel: '2.5',
      recommendedLevel: '2.5',
    });
    expect(await eventOf(result.body.id)).toMatchObject({ recommendedLevel: '2.5' });
  });

  it('without a reason answer 422 and write nothing', async () => {
    const before = await countRows(svc, 'assessments', 'outbox');
    const result = await assess({
      dimensionRatings: [1, 0, 2, 1, 2, 1],
      assessedAt: ASSESSED_AT,
      overrideLevel: '2.5',
    });
    expectProblem(result, 422, 'override-reason-required');
    expect(await countRows(svc, 'assessments', 'outbox')).toBe(before);
  });
});

describe('re-assessments', () => {
  it('belong to the active episode', async () => {
    const client = await http<Json>(`${svc.url}/v1/clients`, {
      token: coordinator,
      json: clientBody(world.siteA),
    });
    const id = String(client.body.id);
    const episode = await http<Json>(`${svc.url}/v1/clients/${id}/admissions`, {
      token: coordinator,
      json: admissionBody(world.siteA, world.adultIopA),
    });
    const result = await assess({ dimensionRatings: [0, 0, 1, 1, 1, 1], assessedAt: ASSESSED_AT }, id);
    expect(result.body).toMatchObject({ kind: 'reassessment', episodeId: episode.body.id });
    expect(await eventOf(result.body.id)).toMatchObject({
      episodeId: episode.body.id,
      recommendedLevel: '1',
    });
  });
});

describe("a provider's own rule set", () => {
  const local = {
    code: 'acme-local',
    label: 'ACME local placement rules',
    rules: [{ level: '2.5', all: [{ dimension: 5, atLeast: 2 }] }],
    fallbackLevel: '2.1',
    makeDefault: false,
  };

  it('is stored as the next version of its code, used when named, and may become the default', async () => {
    const first = await http<Json>(`${svc.url}/v1/asam-rule-sets`, { token: director, json: local });
    expect(first).toMatchObject({
      status: 201,
      body: { ruleSetVersion: 'acme-local@1', illustrative: false },
    });
    const second = await http<Json>(`${svc.url}/v1/asam-rule-sets`, {
      token: director,
      json: { ...local, fallbackLevel: '1', makeDefault: true },
    });
    expect(second.body).toMatchObject({ ruleSetVersion: 'acme-local@2', isDefault: true });
    const named = await assess({
      dimensionRatings: [0, 0, 0, 0, 0, 0],
      assessedAt: ASSESSED_AT,
      ruleSet: 'acme-local@1',
    });
    expect(named.body).toMatchObject({ computedLevel: '2.1', ruleSetVersion: 'acme-local@1' });
    const byDefault = await assess({ dimensionRatings: [0, 0, 0, 0, 2, 0], assessedAt: ASSESSED_AT });
    expect(byDefault.body).toMatchObject({ computedLevel: '2.5', ruleSetVersion: 'acme-local@2' });
  });

  it('may be loaded only by a role with rule-sets:write', async () => {
    expectProblem(
      await http(`${svc.url}/v1/asam-rule-sets`, { token: coordinator, json: local }),
      403,
      'permission-denied',
    );
  });
});

describe('bad input', () => {
  const validBody = { dimensionRatings: [1, 1, 1, 1, 1, 1], assessedAt: ASSESSED_AT };
  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/clients/${clientId}/assessments`;
      },
      validBody,
      idempotent: true,
      extraCases: [
        {
          name: 'five ratings',
          json: { ...validBody, dimensionRatings: [1, 1, 1, 1, 1] },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'a rating of 5',
          json: { ...validBody, dimensionRatings: [1, 1, 5, 1, 1, 1] },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'an override without a reason',
          json: { ...validBody, overrideLevel: '4' },
          status: 422,
          code: 'override-reason-required',
        },
        {
          name: 'a reason without an override',
          json: { ...validBody, overrideReason: 'client-preference' },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an unknown override level',
          json: { ...validBody, overrideLevel: '9', overrideReason: 'client-preference' },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'an unknown rule set',
          json: { ...validBody, ruleSet: 'nobody@1' },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an assessment in the future',
          json: { ...validBody, assessedAt: '2999-01-01T00:00:00Z' },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an unknown client',
          path: `/v1/clients/${randomUUID()}/assessments`,
          json: validBody,
          status: 404,
          code: 'not-found',
        },
      ],
    },
    () => ({
      baseUrl: svc.url,
      token: coordinator,
      countWrites: () => countRows(svc, 'assessments', 'outbox'),
    }),
  );

  const ruleSet = {
    code: 'bad-input-rules',
    label: 'Rules',
    rules: [{ level: '2.1', any: [{ dimension: 1, atLeast: 2 }] }],
    fallbackLevel: '1',
    makeDefault: false,
  };
  describeBadInput(
    {
      method: 'POST',
      path: '/v1/asam-rule-sets',
      validBody: ruleSet,
      enums: ['fallbackLevel'],
      idempotent: true,
      extraCases: [
        {
          name: 'a dimension 7',
          json: { ...ruleSet, rules: [{ level: '2.1', any: [{ dimension: 7, atLeast: 2 }] }] },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'a threshold of 5',
          json: { ...ruleSet, rules: [{ level: '2.1', all: [{ dimension: 1, atLeast: 5 }] }] },
          status: 400,
          code: 'validation-failed',
        },
        { name: 'no rules', json: { ...ruleSet, rules: [] }, status: 400, code: 'validation-failed' },
        {
          name: 'an unknown level in a rule',
          json: { ...ruleSet, rules: [{ level: '9' }] },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'a code with capitals',
          json: { ...ruleSet, code: 'ACME' },
          status: 400,
          code: 'validation-failed',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: director, countWrites: () => countRows(svc, 'asam_rule_sets') }),
  );
});

describe('events', () => {
  it('every event written validates against its contract and carries no PHI', async () => {
    expect(await expectCleanEvents(svc, CANARY_VALUES)).toBeGreaterThan(10);
  });
});
