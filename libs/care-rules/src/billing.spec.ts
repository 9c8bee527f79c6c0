import { CareRuleSetKind, LevelOfCare } from '@stepwise/contracts';
import {
  authorizationWarnings,
  type BilledSession,
  billDays,
  billEpisode,
  diagnosesOn,
  levelOn,
  billingWeeksOf,
  countDown,
  type DayTerms,
  diagnosisPointers,
  type PayerAuthorization,
  payerOn,
} from './billing';
import { ILLUSTRATIVE_BILLING, ILLUSTRATIVE_PSYCHIATRIC_IOP_BILLING } from './illustrative-rules';
import { billingRulesFor, rulesInForce } from './rules-in-force';

const STAFF = '00000000-0000-4000-8000-0000000000a1';
const OTHER_STAFF = '00000000-0000-4000-8000-0000000000a2';
const SITE = '00000000-0000-4000-8000-0000000000b1';

function session(
  sessionDate: string,
  minutes: number,
  outcome: BilledSession['outcome'] = 'present',
  staffId = STAFF,
  startsAt = `${sessionDate}T17:00:00.000Z`,
): BilledSession {
  return { sessionDate, startsAt, outcome, minutes, staffId, siteId: SITE };
}

const iop = (): DayTerms => ({
  level: LevelOfCare.IntensiveOutpatient,
  payerCode: null,
  rules: ILLUSTRATIVE_BILLING,
});
const php = (): DayTerms => ({
  level: LevelOfCare.PartialHospitalization,
  payerCode: null,
  rules: ILLUSTRATIVE_BILLING,
});

// 2025-01-06 is a Monday.
describe('billing attended days (illustrative H0015: 180 minutes a day, 3 days a week)', () => {
  it('bills 3 days of 180 minutes in a week, one H0015 unit each', () => {
    const { billable, unbilled } = billDays(
      [session('2025-01-06', 180), session('2025-01-08', 180), session('2025-01-10', 200)],
      iop,
    );
    expect(billable.map((d) => [d.date, d.code, d.units, d.attendedMinutes])).toEqual([
      ['2025-01-06', 'H0015', 1, 180],
      ['2025-01-08', 'H0015', 1, 180],
      ['2025-01-10', 'H0015', 1, 200],
    ]);
    expect(billable[0]).toMatchObject({ ruleSetId: 'illustrative-billing@1', renderingStaffId: STAFF });
    expect(unbilled).toEqual([]);
  });

  it('bills nothing in a week of only 2 counting days', () => {
    const { billable, unbilled } = billDays(
      [session('2025-01-06', 240), session('2025-01-07', 240), session('2025-01-08', 179)],
      iop,
    );
    expect(billable).toEqual([]);
    expect(unbilled.map((d) => [d.date, d.reason])).toEqual([
      ['2025-01-06', 'too-few-days-in-week'],
      ['2025-01-07', 'too-few-days-in-week'],
      ['2025-01-08', 'under-day-minimum'],
    ]);
  });

  it('counts 179 minutes as no day and 180 as a day', () => {
    const week = (third: number): BilledSession[] => [
      session('2025-01-06', 180),
      session('2025-01-07', 180),
      session('2025-01-09', third),
    ];
    expect(billDays(week(179), iop).billable).toHaveLength(0);
    expect(billDays(week(180), iop).billable).toHaveLength(3);
  });

  it('adds the sessions of a day (late and left early count) and leaves absences out', () => {
    const { billable, unbilled } = billDays(
      [
        session('2025-01-06', 90),
        session('2025-01-06', 90, 'late', OTHER_STAFF, '2025-01-06T19:00:00.000Z'),
        session('2025-01-07', 180, 'left-early'),
        session('2025-01-08', 180),
        session('2025-01-09', 180, 'absent'),
        session('2025-01-10', 180, 'excused'),
      ],
      iop,
    );
    expect(billable.map((d) => d.date)).toEqual(['2025-01-06', '2025-01-07', '2025-01-08']);
    // Equal sessions: the earlier one's facilitator renders the day.
    expect(billable[0]?.renderingStaffId).toBe(STAFF);
    expect(unbilled).toEqual([]);
  });

  it("names the facilitator of the day's longest session as rendering staff", () => {
    const { billable } = billDays(
      [
        session('2025-01-06', 60),
        session('2025-01-06', 120, 'present', OTHER_STAFF, '2025-01-06T19:00:00.000Z'),
        session('2025-01-07', 180),
        session('2025-01-08', 180),
      ],
      iop,
    );
    expect(billable[0]?.renderingStaffId).toBe(OTHER_STAFF);
  });

  it('judges each ISO week on its own days (Sunday and the next Monday are two weeks)', () => {
    const { billable } = billDays(
      [
        session('2025-01-10', 180),
        session('2025-01-11', 180),
        session('2025-01-12', 180),
        session('2025-01-13', 180),
        session('2025-01-14', 180),
      ],
      iop,
    );
    expect(billable.map((d) => d.date)).toEqual(['2025-01-10', '2025-01-11', '2025-01-12']);
  });

  it('bills partial hospitalization as H0035 only in a week of 20 hours', () => {
    const days = (minutes: number): BilledSession[] =>
      ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09', '2025-01-10'].map((d) => session(d, minutes));
    expect(billDays(days(240), php).billable.map((d) => d.code)).toEqual(Array(5).fill('H0035'));
    // 5 × 239: no day reaches 4 hours. 4 days of 299 + one of 4 hours: 1435 minutes but 1 counting day.
    expect(billDays(days(239), php).unbilled.map((d) => d.reason)).toEqual(
      Array(5).fill('under-day-minimum'),
    );
    const short = billDays(
      ['2025-01-06', '2025-01-07', '2025-01-08'].map((d) => session(d, 240)),
      php,
    );
    expect(short.unbilled.map((d) => d.reason)).toEqual(Array(3).fill('under-week-minimum'));
  });

  it('leaves a level without a billing code unbilled, saying so', () => {
    const { unbilled } = billDays([session('2025-01-06', 180)], () => ({
      level: LevelOfCare.Outpatient,
      payerCode: null,
      rules: ILLUSTRATIVE_BILLING,
    }));
    expect(unbilled).toEqual([
      expect.objectContaining({ date: '2025-01-06', code: null, reason: 'no-billing-code' }),
    ]);
  });

  it('judges a period by its whole weeks', () => {
    expect(billingWeeksOf('2025-01-08', '2025-01-15')).toEqual({ from: '2025-01-06', until: '2025-01-20' });
  });
});

describe('billing rule sets per payer', () => {
  const loaded = rulesInForce([
    {
      ruleSetId: 'acme-commercial-billing@1',
      kind: CareRuleSetKind.Billing,
      illustrative: true,
      billing: ILLUSTRATIVE_PSYCHIATRIC_IOP_BILLING,
    },
  ]);

  it("applies a payer's own rules, and the default to any other payer", () => {
    expect(billingRulesFor(loaded.billing, 'illustrative-commercial').id).toBe('acme-commercial-billing@1');
    expect(billingRulesFor(loaded.billing, 'state-medicaid').id).toBe('illustrative-billing@1');
    expect(billingRulesFor(loaded.billing, null).id).toBe('illustrative-billing@1');
  });

  it('bills S9480 for the payer that bills psychiatric IOP per diem', () => {
    const rules = billingRulesFor(loaded.billing, 'illustrative-commercial');
    const { billable } = billDays(
      [session('2025-01-06', 180), session('2025-01-07', 180), session('2025-01-08', 180)],
      () => ({ level: LevelOfCare.IntensiveOutpatient, payerCode: 'illustrative-commercial', rules }),
    );
    expect(billable.map((d) => [d.code, d.payerCode])).toEqual(
      Array(3).fill(['S9480', 'illustrative-commercial']),
    );
  });

  it("replaces a payer's rules with its next version, and keeps other payers'", () => {
    const next = rulesInForce([
      {
        ruleSetId: 'acme-commercial-billing@1',
        kind: CareRuleSetKind.Billing,
        illustrative: true,
        billing: ILLUSTRATIVE_PSYCHIATRIC_IOP_BILLING,
      },
      {
        ruleSetId: 'acme-commercial-billing@2',
        kind: CareRuleSetKind.Billing,
        illustrative: true,
        billing: { ...ILLUSTRATIVE_PSYCHIATRIC_IOP_BILLING, warnUnitsRemaining: 5 },
      },
    ]);
    expect(next.billing.map((b) => b.id)).toEqual(['illustrative-billing@1', 'acme-commercial-billing@2']);
  });
});

describe('authorized units', () => {
  const auth = (over: Partial<PayerAuthorization> = {}): PayerAuthorization => ({
    authorizationId: '00000000-0000-4000-8000-00000000a001',
    authorizationNumber: 'PA-1',
    payerCode: 'state-medicaid',
    level: LevelOfCare.IntensiveOutpatient,
    units: 3,
    startsOn: '2025-01-06',
    endsOn: '2025-01-31',
    recordedAt: '2025-01-06T12:00:00.000Z',
    ...over,
  });
  const medicaidIop = (): DayTerms => ({
    level: LevelOfCare.IntensiveOutpatient,
    payerCode: 'state-medicaid',
    rules: ILLUSTRATIVE_BILLING,
  });
  const fourDays = billDays(
    ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09'].map((d) => session(d, 180)),
    medicaidIop,
  ).billable;

  it('uses one unit per billable day; the last unit goes, the day after it is unauthorized', () => {
    const { days, counts } = countDown(fourDays, [auth()]);
    expect(days.map((d) => d.authorizationNumber)).toEqual(['PA-1', 'PA-1', 'PA-1', null]);
    expect(counts[0]).toMatchObject({ usedUnits: 3, remainingUnits: 0 });
  });

  it('uses no units outside its dates, of another level, or of another payer', () => {
    expect(countDown(fourDays, [auth({ startsOn: '2025-01-08' })]).counts[0]?.usedUnits).toBe(2);
    expect(countDown(fourDays, [auth({ endsOn: '2025-01-06' })]).counts[0]?.usedUnits).toBe(1);
    expect(
      countDown(fourDays, [auth({ level: LevelOfCare.PartialHospitalization })]).counts[0]?.usedUnits,
    ).toBe(0);
    expect(countDown(fourDays, [auth({ payerCode: 'other' })]).counts[0]?.usedUnits).toBe(0);
  });

  it('moves on to the next authorization when the first is used up', () => {
    const second = auth({
      authorizationId: '00000000-0000-4000-8000-00000000a002',
      authorizationNumber: 'PA-2',
      startsOn: '2025-01-09',
    });
    const { days } = countDown(fourDays, [second, auth()]);
    expect(days.map((d) => d.authorizationNumber)).toEqual(['PA-1', 'PA-1', 'PA-1', 'PA-2']);
  });

  it('knows the payer of a day from the authorization covering it', () => {
    const later = auth({
      payerCode: 'illustrative-commercial',
      startsOn: '2025-02-01',
      endsOn: '2025-02-28',
    });
    expect(payerOn([auth(), later], '2025-01-05')).toBeNull();
    expect(payerOn([auth(), later], '2025-01-20')).toBe('state-medicaid');
    expect(payerOn([auth(), later], '2025-02-03')).toBe('illustrative-commercial');
    // After the last one ends, the last payer is still the payer (billed unauthorized).
    expect(payerOn([auth(), later], '2025-03-10')).toBe('illustrative-commercial');
  });

  it('warns at the threshold of remaining units, not one unit before', () => {
    const count = (remainingUnits: number) => ({
      authorization: auth({ units: 10 }),
      usedUnits: 10 - remainingUnits,
      remainingUnits,
    });
    expect(authorizationWarnings(count(4), ILLUSTRATIVE_BILLING, '2025-01-10').unitsLow).toBe(false);
    expect(authorizationWarnings(count(3), ILLUSTRATIVE_BILLING, '2025-01-10').unitsLow).toBe(true);
    expect(authorizationWarnings(count(0), ILLUSTRATIVE_BILLING, '2025-01-10').unitsLow).toBe(true);
  });

  it('warns from 7 days before the last day through the last day, not after it', () => {
    const count = { authorization: auth(), usedUnits: 0, remainingUnits: 3 };
    const expiring = (asOf: string) =>
      authorizationWarnings(count, ILLUSTRATIVE_BILLING, asOf).expiringInDays;
    expect(expiring('2025-01-23')).toBeUndefined();
    expect(expiring('2025-01-24')).toBe(7);
    expect(expiring('2025-01-31')).toBe(0);
    expect(expiring('2025-02-01')).toBeUndefined();
  });
});

describe('diagnosis pointers', () => {
  it('point to the first four diagnoses, primary first', () => {
    expect(diagnosisPointers(['F10.20'])).toBe('A');
    expect(diagnosisPointers(['F10.20', 'F11.20', 'F32.1', 'Z59.01', 'F41.1'])).toBe('ABCD');
    expect(diagnosisPointers([])).toBe('');
  });
});

describe('an episode billed', () => {
  it('bills each day at the level in force that day (a step-up mid-week changes the code from that day)', () => {
    const levels = [
      { level: LevelOfCare.IntensiveOutpatient, from: '2025-01-06T06:00:00.000Z' },
      // Thursday 9 January, local midnight in Chicago.
      { level: LevelOfCare.PartialHospitalization, from: '2025-01-09T06:00:00.000Z' },
    ];
    expect(levelOn(levels, '2025-01-08', 'America/Chicago', LevelOfCare.Outpatient)).toBe('2.1');
    expect(levelOn(levels, '2025-01-09', 'America/Chicago', LevelOfCare.Outpatient)).toBe('2.5');
    const bill = billEpisode(
      {
        episodeId: STAFF,
        clientId: OTHER_STAFF,
        timeZone: 'America/Chicago',
        level: LevelOfCare.PartialHospitalization,
        levels,
        sessions: ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09'].map((d) => session(d, 180)),
        authorizations: [],
        diagnoses: [{ revision: 1, effectiveOn: '2025-01-07', diagnosisCodes: ['F10.20'] }],
      },
      [ILLUSTRATIVE_BILLING],
    );
    expect(bill.lines.map((l) => [l.date, l.code, l.diagnosisPointers, l.holds])).toEqual([
      ['2025-01-06', 'H0015', '', ['no-diagnosis', 'no-authorization']],
      ['2025-01-07', 'H0015', 'A', ['no-authorization']],
      ['2025-01-08', 'H0015', 'A', ['no-authorization']],
    ]);
    expect(bill.unbilled.map((d) => [d.date, d.code, d.reason])).toEqual([
      ['2025-01-09', 'H0035', 'under-day-minimum'],
    ]);
  });

  it('points each day to the diagnoses revision in force that day', () => {
    const revisions = [
      { revision: 2, effectiveOn: '2025-01-10', diagnosisCodes: ['F11.20', 'F10.20'] },
      { revision: 1, effectiveOn: '2025-01-06', diagnosisCodes: ['F10.20'] },
    ];
    expect(diagnosesOn(revisions, '2025-01-05')).toEqual([]);
    expect(diagnosesOn(revisions, '2025-01-09')).toEqual(['F10.20']);
    expect(diagnosesOn(revisions, '2025-01-10')).toEqual(['F11.20', 'F10.20']);
  });
});
