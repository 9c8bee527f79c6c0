import { randomUUID } from 'node:crypto';
import { type ServiceApp, expectProblem, http, startServiceApp, testTokens } from '@stepwise/testing';
import { NETWORK, count, referenceTopic, schedulingFixture } from '../testing/scheduling-fixture';
import { CareRulesRepository } from './care-rules.repository';

/*
 * Care rule sets are provider data owned here: a network administrator loads a program-shape or progress rule
 * set as the next version of its code (never an edit), it is in force at once and published on the reference
 * topic for sessions; a set that breaks its own rules is refused 422 naming every bad field, storing nothing.
 */

interface Problem {
  errors: { field: string }[];
}

const { startScheduling } = schedulingFixture({ startServiceApp, http, testTokens });
let app: ServiceApp;
let networkAdmin: string;

const stepDown = {
  toLevel: '1',
  minWeeksInProgram: 4,
  attendanceWindowDays: 28,
  minAttendance: 8000,
  minConsecutiveNegativeScreens: 2,
  minGoalsMet: 7500,
  maxDimensionRatings: [1, 1, 2, 2, 2, 2],
};
const stepUp = {
  toLevel: '2.5',
  positiveScreensWindowDays: 14,
  minPositiveScreens: 2,
  attendanceWindowDays: 14,
  attendanceBelow: 5000,
};
const progressSet = (code: string) => ({
  code,
  kind: 'progress',
  illustrative: false,
  progress: [{ level: '2.1', population: 'adult', stepDown, stepUp, cosignRequired: false }],
});
const shapeRow = {
  level: '2.1',
  population: 'adult',
  minWeeklyMinutes: 600,
  belowWeeklyMinutes: 1200,
  minDaysPerWeek: 3,
  maxDaysPerWeek: 5,
  expectedStayWeeks: 10,
};

const load = (body: unknown, token = networkAdmin) =>
  http<{ ruleSetId: string; recordId: string; version: number }>(`${app.url}/v1/care-rule-sets`, {
    token,
    headers: { 'Idempotency-Key': randomUUID() },
    json: body,
  });

beforeAll(async () => {
  app = await startScheduling('sched_care_rules');
  networkAdmin = await testTokens.valid({ roles: ['network-admin'], sites: [], network: NETWORK });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('care rule sets', () => {
  it('stores each load of a code as its next version, in force at once, and publishes it on the reference topic', async () => {
    const first = await load(progressSet('acme-progress'));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ruleSetId: 'acme-progress@1', version: 1, kind: 'progress' });
    const second = await load({
      ...progressSet('acme-progress'),
      progress: [
        {
          level: '2.1',
          population: 'adult',
          stepDown: { ...stepDown, minWeeksInProgram: 3 },
          stepUp,
          cosignRequired: true,
        },
      ],
    });
    expect(second.body).toMatchObject({ ruleSetId: 'acme-progress@2', version: 2 });

    const inForce = await app.app.get(CareRulesRepository).inForce();
    expect(inForce.progress.id).toBe('acme-progress@2');
    expect(inForce.progress.progress[0]?.stepDown.minWeeksInProgram).toBe(3);
    expect(inForce.programShape.id).toBe('illustrative-program-shape@1');

    const events = await app.readEvents(referenceTopic, (all) =>
      all.some((e) => e.key === second.body.recordId),
    );
    const loaded = events.filter((e) => e.type === 'CareRuleSetLoaded');
    // Two records of different keys may sit on different partitions: read back in no set order.
    expect(loaded.map((e) => (e.data as { ruleSetId: string }).ruleSetId).sort()).toEqual([
      'acme-progress@1',
      'acme-progress@2',
    ]);
    const listed = await http<{ ruleSetId: string }[]>(`${app.url}/v1/care-rule-sets`, {
      token: networkAdmin,
    });
    expect(listed.body.map((set) => set.ruleSetId)).toEqual(['acme-progress@1', 'acme-progress@2']);
  });

  it('refuses a rule set that breaks its rules with 422 naming every bad field, storing nothing', async () => {
    const before = await count(app, 'care_rule_sets');
    const result = await load({
      code: 'acme-shape',
      kind: 'program-shape',
      illustrative: false,
      programShape: [
        { ...shapeRow, minWeeklyMinutes: 1200, minDaysPerWeek: 6 },
        { ...shapeRow, level: '9.9', expectedStayWeeks: 0 },
      ],
    });
    expectProblem(result, 422, 'invalid-rule-set');
    const fields = (result.body as unknown as Problem).errors.map((e) => e.field).sort();
    expect(fields).toEqual([
      'programShape.0.minDaysPerWeek',
      'programShape.0.minWeeklyMinutes',
      'programShape.1.expectedStayWeeks',
      'programShape.1.level',
    ]);
    const twice = await load({
      code: 'acme-shape',
      kind: 'program-shape',
      illustrative: false,
      programShape: [shapeRow, shapeRow],
    });
    expectProblem(twice, 422, 'invalid-rule-set');
    expect((twice.body as unknown as Problem).errors.map((e) => e.field)).toEqual(['programShape.1']);
    const empty = await load({ code: 'acme-shape', kind: 'program-shape', illustrative: false });
    expect((empty.body as unknown as Problem).errors.map((e) => e.field)).toEqual(['programShape']);
    const mixed = await load({ ...progressSet('acme-shape'), programShape: [shapeRow] });
    expectProblem(mixed, 422, 'invalid-rule-set');
    expect(await count(app, 'care_rule_sets')).toBe(before);
  });

  it('loads the program policy (screen readings, MAT expected substances, grace) as versioned data too', async () => {
    const policy = {
      refused: 'retest-requested',
      adulterated: 'treated-as-positive',
      dilute: 'retest-requested',
      invalid: 'retest-requested',
      matExpectedSubstances: [{ medicationCode: 'methadone', substances: ['methadone'] }],
      documentationGraceHours: 72,
    };
    const loaded = await load({
      code: 'acme-policy',
      kind: 'program-policy',
      illustrative: false,
      programPolicy: policy,
    });
    expect(loaded.status).toBe(201);
    expect(loaded.body).toMatchObject({
      ruleSetId: 'acme-policy@1',
      kind: 'program-policy',
      programPolicy: policy,
    });
    const inForce = await app.app.get(CareRulesRepository).inForce();
    expect(inForce.programPolicy.id).toBe('acme-policy@1');
    expect(inForce.programPolicy.programPolicy.documentationGraceHours).toBe(72);
    await app.readEvents(referenceTopic, (all) => all.some((e) => e.key === loaded.body.recordId));

    const before = await count(app, 'care_rule_sets');
    const bad = await load({
      code: 'acme-policy',
      kind: 'program-policy',
      illustrative: false,
      programPolicy: {
        ...policy,
        refused: 'ignored',
        matExpectedSubstances: [...policy.matExpectedSubstances, ...policy.matExpectedSubstances],
        documentationGraceHours: 337,
      },
    });
    expectProblem(bad, 422, 'invalid-rule-set');
    expect((bad.body as unknown as Problem).errors.map((e) => e.field).sort()).toEqual([
      'programPolicy.documentationGraceHours',
      'programPolicy.refused',
    ]);
    const twice = await load({
      code: 'acme-policy',
      kind: 'program-policy',
      illustrative: false,
      programPolicy: {
        ...policy,
        matExpectedSubstances: [...policy.matExpectedSubstances, ...policy.matExpectedSubstances],
      },
    });
    expect((twice.body as unknown as Problem).errors.map((e) => e.field)).toEqual([
      'programPolicy.matExpectedSubstances.1',
    ]);
    const missing = await load({ code: 'acme-policy', kind: 'program-policy', illustrative: false });
    expect((missing.body as unknown as Problem).errors.map((e) => e.field)).toEqual(['programPolicy']);
    expect(await count(app, 'care_rule_sets')).toBe(before);
  });

  it("loads one payer's billing rules as a billing rule set, in force for that payer only", async () => {
    const billing = (codes: unknown[], payerCode = 'acme-health') => ({
      code: 'acme-health-billing',
      kind: 'billing',
      illustrative: false,
      billing: { payerCode, codes, warnUnitsRemaining: 4, warnDaysBeforeExpiry: 10 },
    });
    const s9480 = { level: '2.1', code: 'S9480', minMinutesPerDay: 180, minDaysPerWeek: 3, unitsPerDay: 1 };
    const loaded = await load(billing([s9480]));
    expect(loaded.status).toBe(201);
    expect(loaded.body).toMatchObject({ ruleSetId: 'acme-health-billing@1', kind: 'billing' });
    const inForce = await app.app.get(CareRulesRepository).inForce();
    expect(inForce.billing.map((set) => [set.payerCode, set.id])).toEqual([
      [null, 'illustrative-billing@1'],
      ['acme-health', 'acme-health-billing@1'],
    ]);

    const before = await count(app, 'care_rule_sets');
    const bad = await load(
      billing([
        { ...s9480, code: 's9480', minDaysPerWeek: 8 },
        { ...s9480, unitsPerDay: 0 },
      ]),
    );
    expectProblem(bad, 422, 'invalid-rule-set');
    expect((bad.body as unknown as Problem).errors.map((e) => e.field).sort()).toEqual([
      'billing.codes.0.code',
      'billing.codes.0.minDaysPerWeek',
      'billing.codes.1.unitsPerDay',
    ]);
    const twice = await load(billing([s9480, s9480]));
    expect((twice.body as unknown as Problem).errors.map((e) => e.field)).toEqual(['billing.codes.1']);
    const none = await load({ code: 'acme-health-billing', kind: 'billing', illustrative: false });
    expect((none.body as unknown as Problem).errors.map((e) => e.field)).toEqual(['billing']);
    expect(await count(app, 'care_rule_sets')).toBe(before);
  });

  it('is for network administrators only', async () => {
    const siteAdmin = await testTokens.valid({
      roles: ['site-admin', 'program-director'],
      sites: [randomUUID()],
      network: NETWORK,
    });
    expectProblem(await load(progressSet('acme-progress'), siteAdmin), 403, 'permission-denied');
    const counselor = await testTokens.valid({
      roles: ['counselor'],
      sites: [randomUUID()],
      network: NETWORK,
    });
    expectProblem(await load(progressSet('acme-progress'), counselor), 403, 'permission-denied');
  });
});
