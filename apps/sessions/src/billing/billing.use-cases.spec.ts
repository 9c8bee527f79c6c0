import { randomUUID } from 'node:crypto';
import { CareRuleSetKind, LevelOfCare } from '@stepwise/contracts';
import {
  type BilledSession,
  type EpisodeBillingFacts,
  ILLUSTRATIVE_PSYCHIATRIC_IOP_BILLING,
  type PayerAuthorization,
} from '@stepwise/care-rules';
import { billingUseCases } from '../testing/billing';
import { OTHER_SITE_ID, SITE_ID, clinician, problemOf } from '../testing/doubles';
import { BILLING_CSV_COLUMNS, billingCsv } from './export-billing';

const COUNSELOR = randomUUID();

function attended(sessionDate: string, minutes = 180, siteId = SITE_ID): BilledSession {
  return {
    sessionDate,
    startsAt: `${sessionDate}T15:00:00.000Z`,
    outcome: 'present',
    minutes,
    staffId: COUNSELOR,
    siteId,
  };
}

function anEpisode(
  sessions: BilledSession[],
  more: Partial<Pick<EpisodeBillingFacts, 'authorizations' | 'diagnoses'>> = {},
): EpisodeBillingFacts {
  return {
    episodeId: randomUUID(),
    clientId: randomUUID(),
    timeZone: 'America/Chicago',
    level: LevelOfCare.IntensiveOutpatient,
    levels: [{ level: LevelOfCare.IntensiveOutpatient, from: '2025-03-03T06:00:00.000Z' }],
    sessions,
    authorizations: more.authorizations ?? [],
    diagnoses: more.diagnoses ?? [],
  };
}

const authorization = (over: Partial<PayerAuthorization> = {}): PayerAuthorization => ({
  authorizationId: randomUUID(),
  authorizationNumber: 'PA-77',
  payerCode: 'state-medicaid',
  level: LevelOfCare.IntensiveOutpatient,
  units: 4,
  startsOn: '2025-03-03',
  endsOn: '2025-03-31',
  recordedAt: '2025-03-03T12:00:00.000Z',
  ...over,
});

// 3 March 2025 is a Monday.
describe('ListBillableDays', () => {
  it('bills a week of 3 days of 3 hours and not a week of 2, saying why; audited per client', async () => {
    const t = billingUseCases();
    const three = anEpisode([attended('2025-03-03'), attended('2025-03-05'), attended('2025-03-07')]);
    const two = anEpisode([attended('2025-03-03'), attended('2025-03-05', 240), attended('2025-03-06', 179)]);
    for (const e of [three, two]) t.billing.episodes.set(e.episodeId, e);

    const page = await t.week.billableDays(clinician(), SITE_ID, { weekStart: '2025-03-03' });

    const of = (e: EpisodeBillingFacts) => page.items.find((item) => item.episodeId === e.episodeId);
    expect(of(three)).toMatchObject({
      billableDays: ['2025-03-03', '2025-03-05', '2025-03-07'],
      unbilledDays: [],
      attendedMinutes: 540,
      ruleSetIds: ['illustrative-billing@1'],
    });
    expect(of(two)).toMatchObject({
      billableDays: [],
      unbilledDays: [
        { date: '2025-03-03', reason: 'too-few-days-in-week', code: 'H0015', attendedMinutes: 180 },
        { date: '2025-03-05', reason: 'too-few-days-in-week', code: 'H0015', attendedMinutes: 240 },
        { date: '2025-03-06', reason: 'under-day-minimum', code: 'H0015', attendedMinutes: 179 },
      ],
      attendedMinutes: 599,
    });
    expect(t.audit.outcomes()).toEqual(['list:billing:allowed', 'list:billing:allowed']);
  });

  it('refuses a week that does not start on a Monday', async () => {
    const t = billingUseCases();
    expect(
      (await problemOf(t.week.billableDays(clinician(), SITE_ID, { weekStart: '2025-03-04' }))).code,
    ).toBe('validation-failed');
  });

  it('answers 404 for a site outside the caller’s scope, audited as denied', async () => {
    const t = billingUseCases();
    const problem = await problemOf(
      t.week.billableDays(clinician(), OTHER_SITE_ID, { weekStart: '2025-03-03' }),
    );
    expect(problem.code).toBe('not-found');
    expect(t.audit.outcomes()).toEqual(['list:billing:denied']);
  });
});

describe('ExportBilling', () => {
  it('writes one line per billable day with code, units, diagnosis pointers, staff and authorization', async () => {
    const t = billingUseCases();
    const episode = anEpisode(
      ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-10', '2025-03-11', '2025-03-12'].map((d) =>
        attended(d),
      ),
      {
        authorizations: [authorization()],
        diagnoses: [
          { revision: 1, effectiveOn: '2025-03-03', diagnosisCodes: ['F10.20'] },
          { revision: 2, effectiveOn: '2025-03-10', diagnosisCodes: ['F11.20', 'F10.20'] },
        ],
      },
    );
    t.billing.episodes.set(episode.episodeId, episode);

    const view = await t.exports.export(clinician(), SITE_ID, { from: '2025-03-01', to: '2025-03-31' });

    expect(
      view.lines.map((l) => [l.date, l.code, l.units, l.diagnosisPointers, l.authorizationNumber, l.holds]),
    ).toEqual([
      ['2025-03-03', 'H0015', 1, 'A', 'PA-77', []],
      ['2025-03-04', 'H0015', 1, 'A', 'PA-77', []],
      ['2025-03-05', 'H0015', 1, 'A', 'PA-77', []],
      // The last unit goes on the 10th; the days after it are billed unauthorized (held).
      ['2025-03-10', 'H0015', 1, 'AB', 'PA-77', []],
      ['2025-03-11', 'H0015', 1, 'AB', null, ['no-authorization']],
      ['2025-03-12', 'H0015', 1, 'AB', null, ['no-authorization']],
    ]);
    expect(view.lines[3]).toMatchObject({
      clientId: episode.clientId,
      renderingStaffId: COUNSELOR,
      diagnosisCodes: ['F11.20', 'F10.20'],
      payerCode: 'state-medicaid',
    });
    expect(view.reconciliation).toEqual({
      attendanceRecords: 6,
      attendedDays: 6,
      attendedMinutes: 1080,
      billedDays: 6,
      billedMinutes: 1080,
      billedUnits: 6,
      unbilledDays: 0,
      unbilledMinutes: 0,
    });
    expect(t.audit.entries).toEqual([
      expect.objectContaining({ action: 'export', resourceType: 'billing', clientId: episode.clientId }),
    ]);
  });

  it('judges a week the period cuts on the whole week, and leaves other sites’ days out', async () => {
    const t = billingUseCases();
    const episode = anEpisode([
      attended('2025-03-03'),
      attended('2025-03-04'),
      attended('2025-03-06'),
      attended('2025-03-07', 180, OTHER_SITE_ID),
    ]);
    t.billing.episodes.set(episode.episodeId, episode);

    const view = await t.exports.export(clinician(), SITE_ID, { from: '2025-03-04', to: '2025-03-31' });

    expect(view.lines.map((l) => l.date)).toEqual(['2025-03-04', '2025-03-06']);
    expect(view.lines.every((l) => l.holds.includes('no-diagnosis'))).toBe(true);
  });

  it("bills a payer's own rule set: S9480 for the payer that bills psychiatric IOP", async () => {
    const t = billingUseCases();
    t.careRules.loaded.push({
      ruleSetId: 'commercial-billing@1',
      kind: CareRuleSetKind.Billing,
      illustrative: true,
      billing: ILLUSTRATIVE_PSYCHIATRIC_IOP_BILLING,
    });
    const episode = anEpisode(
      ['2025-03-03', '2025-03-04', '2025-03-05'].map((d) => attended(d)),
      { authorizations: [authorization({ payerCode: 'illustrative-commercial' })] },
    );
    t.billing.episodes.set(episode.episodeId, episode);

    const view = await t.exports.export(clinician(), SITE_ID, { from: '2025-03-03', to: '2025-03-09' });

    expect(view.lines.map((l) => [l.code, l.ruleSetId])).toEqual(
      Array(3).fill(['S9480', 'commercial-billing@1']),
    );
  });

  it('refuses a period that ends before it starts or is longer than 92 days, reading nothing', async () => {
    const t = billingUseCases();
    for (const [from, to] of [
      ['2025-03-10', '2025-03-09'],
      ['2025-01-01', '2025-04-03'],
    ] as const) {
      expect((await problemOf(t.exports.export(clinician(), SITE_ID, { from, to }))).code).toBe(
        'unprocessable',
      );
    }
    expect(
      (await t.exports.export(clinician(), SITE_ID, { from: '2025-01-01', to: '2025-04-02' })).lines,
    ).toEqual([]);
    expect(t.audit.entries).toEqual([]);
  });

  it('answers 404 for a site outside the caller’s scope, audited as denied', async () => {
    const t = billingUseCases();
    const problem = await problemOf(
      t.exports.export(clinician(), OTHER_SITE_ID, { from: '2025-03-01', to: '2025-03-31' }),
    );
    expect(problem.code).toBe('not-found');
    expect(t.audit.outcomes()).toEqual(['export:billing:denied']);
  });

  it('writes the lines as CSV with the documented columns', async () => {
    const t = billingUseCases();
    const episode = anEpisode(
      ['2025-03-03', '2025-03-04', '2025-03-05'].map((d) => attended(d)),
      {
        diagnoses: [{ revision: 1, effectiveOn: '2025-03-03', diagnosisCodes: ['F10.20', 'F32.1'] }],
      },
    );
    t.billing.episodes.set(episode.episodeId, episode);

    const csv = billingCsv(
      await t.exports.export(clinician(), SITE_ID, { from: '2025-03-03', to: '2025-03-05' }),
    );

    const rows = csv.split('\r\n');
    expect(rows[0]).toBe(BILLING_CSV_COLUMNS.join(','));
    expect(rows[1]).toBe(
      `${episode.clientId},${episode.episodeId},2025-03-03,H0015,1,AB,F10.20;F32.1,${COUNSELOR},,,2.1,180,` +
        'illustrative-billing@1,no-authorization',
    );
    expect(rows).toHaveLength(5);
  });
});
