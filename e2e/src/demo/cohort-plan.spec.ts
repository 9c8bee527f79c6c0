import { DrugScreenResult, LevelOfCare, Population, type SubstanceCode } from '@stepwise/contracts';
import {
  type EpisodeFacts,
  type ProgressRuleSet,
  evaluateStepDown,
  evaluateStepUp,
  ILLUSTRATIVE_PROGRAM_POLICY,
  interpretScreen,
  latestFactDate,
  type MedicationFact,
  progressRuleSetFor,
} from '@stepwise/care-rules';
import {
  type CohortPlan,
  DEMO_COHORT,
  GOALS_PER_PLAN,
  MIN_COHORT_WEEKS,
  type PlanOptions,
  PATHWAY_COHORT,
  type PlannedClient,
  planCohort,
  plannedMinutes,
} from './cohort-plan';
import { IOP_SLOTS, SITE_PLANS } from './network';

/*
 * The cohort reaches its clinical outcomes whatever day and hour it runs: planned (no services) for every hour
 * of 28 consecutive days, the weeks around both US daylight-saving changes of two years, and month and year
 * ends, each steady client meets the step-down rule as of its last fact and each struggling client the
 * step-up rule — under the product's own rules (@stepwise/care-rules), and never the opposite rule as of any
 * date a fact of theirs was recorded on, since the services evaluate at each fact.
 */

const RULES = progressRuleSetFor(LevelOfCare.IntensiveOutpatient, Population.Adult) as ProgressRuleSet;
const ZONES = SITE_PLANS.map((site) => site.timeZone);

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Every hour from `first` (UTC midnight) for `days` days. */
function hourly(first: string, days: number, stepHours = 1): Date[] {
  const start = Date.parse(`${first}T00:00:00.000Z`);
  return Array.from({ length: (days * 24) / stepHours }, (_, i) => new Date(start + i * stepHours * HOUR));
}

/** The days around a date, every `stepHours` hours. */
const around = (date: string, days: number, stepHours: number): Date[] =>
  hourly(new Date(Date.parse(date) - days * DAY).toISOString().slice(0, 10), 2 * days + 1, stepHours);

const RUN_DATES: readonly { readonly label: string; readonly times: readonly Date[] }[] = [
  { label: '28 consecutive days from 2026-12-03, every hour', times: hourly('2026-12-03', 28) },
  // US daylight saving: begins 8 March 2026 and 14 March 2027, ends 1 November 2026 and 7 November 2027.
  { label: 'the weeks around 2026-03-08 (DST begins)', times: around('2026-03-08', 10, 3) },
  { label: 'the weeks around 2026-11-01 (DST ends)', times: around('2026-11-01', 10, 3) },
  { label: 'the weeks around 2027-03-14 (DST begins)', times: around('2027-03-14', 10, 3) },
  { label: 'the weeks around 2027-11-07 (DST ends)', times: around('2027-11-07', 10, 3) },
  {
    label: 'year and month ends',
    times: ['2026-12-31', '2027-01-31', '2027-02-28', '2028-02-29', '2027-12-31'].flatMap((date) =>
      around(date, 1, 1),
    ),
  },
];

const medicationsOf = (client: PlannedClient): MedicationFact[] =>
  client.medications.map((m, i) => ({
    medicationId: `${client.siteIndex}-${client.n}-m${i}`,
    medicationCode: m.medicationCode,
    mat: m.mat,
    startsOn: m.startsOn,
    stopsOn: null,
    expectedSubstances: m.expectedSubstances as SubstanceCode[],
  }));

/** The facts the sessions service will hold for a planned client, as its rules read them. */
function factsOf(client: PlannedClient): EpisodeFacts {
  return {
    admittedOn: client.admittedOn,
    dischargedOn: null,
    attendance: client.sessions.map((session, k) => ({
      appointmentId: `${client.siteIndex}-${client.n}-${k}`,
      sessionDate: session.sessionDate,
      startsAt: session.startsAt,
      outcome: session.attendance.status,
      minutes: plannedMinutes(session),
    })),
    screens: client.screens.map((screen, w) => {
      const result = screen.result === 'positive' ? DrugScreenResult.Positive : DrugScreenResult.Negative;
      // Read as sessions reads it: against the client's MAT medications under the screen policy.
      const reading = interpretScreen(
        result,
        screen.substanceCodes as SubstanceCode[],
        screen.collectedOn,
        medicationsOf(client),
        ILLUSTRATIVE_PROGRAM_POLICY.programPolicy,
      );
      return {
        screenId: `${client.siteIndex}-${client.n}-s${w}`,
        collectedOn: screen.collectedOn,
        collectedAt: screen.collectedAt,
        result,
        evidence: reading.evidence,
      };
    }),
    reviews: client.reviews.map((review) => ({
      reviewedOn: review.reviewedOn,
      reviewedAt: review.reviewedAt,
      goalsMet: review.goalsMet,
      goalsTotal: GOALS_PER_PLAN,
    })),
    assessments: [
      {
        assessmentId: `${client.siteIndex}-${client.n}-a`,
        assessedOn: client.admittedOn,
        assessedAt: `${client.admittedOn}T15:00:00.000Z`,
        dimensionRatings: client.dimensionRatings,
      },
    ],
  };
}

/** Every date a fact of the client is dated on: the services evaluate the episode as of each. */
const factDates = (facts: EpisodeFacts): string[] =>
  [
    ...new Set([
      ...facts.attendance.map((a) => a.sessionDate),
      ...facts.screens.map((s) => s.collectedOn),
      ...facts.reviews.map((r) => r.reviewedOn),
    ]),
  ].sort();

/**
 * What went wrong for one client of one plan, or nothing. `everyDate` also evaluates the opposite rule as of
 * each date a fact falls on (the services evaluate at each fact): those dates lie before the last few days, so
 * two plans a day (one each side of the sites' local midnights) cover them.
 */
function misses(plan: CohortPlan, client: PlannedClient, everyDate: boolean): string[] {
  const facts = factsOf(client);
  const last = latestFactDate(facts);
  const where = `${plan.plannedAt} site ${client.siteIndex} client ${client.n} (${client.profile})`;
  const found: string[] = [];
  const never = (evaluate: typeof evaluateStepUp, what: string): void => {
    if (!everyDate) return;
    for (const date of factDates(facts)) {
      if (evaluate(facts, RULES, date).recommended) found.push(`${where}: a ${what} as of ${date}`);
    }
  };
  switch (client.profile) {
    case 'steady': {
      const outcome = evaluateStepDown(facts, RULES, last);
      if (!outcome.recommended) {
        found.push(`${where}: no step-down as of ${last}, failed ${outcome.criteria.join(', ')}`);
      }
      never(evaluateStepUp, 'step-up');
      break;
    }
    case 'struggling':
      if (!evaluateStepUp(facts, RULES, last).recommended) found.push(`${where}: no step-up as of ${last}`);
      never(evaluateStepDown, 'step-down');
      break;
    case 'average':
      break;
  }
  return found;
}

function check(options: PlanOptions, times: readonly Date[]): { plans: number; problems: string[] } {
  const problems: string[] = [];
  for (const now of times) {
    const plan = planCohort(now, options, ZONES, IOP_SLOTS);
    const everyDate = now.getUTCHours() === 6 || now.getUTCHours() === 18;
    for (const client of plan.clients) problems.push(...misses(plan, client, everyDate));
  }
  return { plans: times.length, problems };
}

describe.each([
  ['the end-to-end cohort', PATHWAY_COHORT],
  ['the demo cohort', DEMO_COHORT],
])('%s reaches its outcomes on any run date', (_, options) => {
  it.each(RUN_DATES.map((r) => [r.label, r.times] as const))('%s', (_label, times) => {
    const { plans, problems } = check(options, times);
    expect(plans).toBe(times.length);
    // The first few, named: which client, which date, which criterion.
    expect(problems.slice(0, 5)).toEqual([]);
  });
});

describe('the plan itself', () => {
  const now = new Date('2026-12-03T18:47:00.000Z');

  it('plans the same cohort for the same seed and moment, and a cohort with both outcomes in the demo', () => {
    expect(planCohort(now, DEMO_COHORT, ZONES, IOP_SLOTS)).toEqual(
      planCohort(now, DEMO_COHORT, ZONES, IOP_SLOTS),
    );
    const profiles = planCohort(now, DEMO_COHORT, ZONES, IOP_SLOTS).clients.map((c) => c.profile);
    expect(profiles).toHaveLength(60);
    expect(profiles.filter((p) => p === 'steady').length).toBeGreaterThan(5);
    expect(profiles.filter((p) => p === 'struggling').length).toBeGreaterThan(5);
  });

  it('includes MAT clients whose expected buprenorphine positives are no use: steady ones still step down', () => {
    const plan = planCohort(now, DEMO_COHORT, ZONES, IOP_SLOTS);
    const mat = plan.clients.filter((c) => c.medications.some((m) => m.mat));
    expect(mat.length).toBeGreaterThanOrEqual(5);
    const steadyMat = mat.filter((c) => c.profile === 'steady');
    expect(steadyMat.length).toBeGreaterThanOrEqual(2);
    for (const client of steadyMat) {
      expect(
        client.screens.every((s) => s.result === 'positive' && s.substanceCodes.join() === 'buprenorphine'),
      ).toBe(true);
      const facts = factsOf(client);
      expect(evaluateStepDown(facts, RULES, latestFactDate(facts)).recommended).toBe(true);
      expect(evaluateStepUp(facts, RULES, latestFactDate(facts)).recommended).toBe(false);
    }
  });

  it('keeps profiles and admission dates the same whatever the hour, and moves them with the date only', () => {
    const morning = planCohort(new Date('2026-12-03T09:00:00.000Z'), PATHWAY_COHORT, ZONES, IOP_SLOTS);
    const evening = planCohort(new Date('2026-12-03T16:00:00.000Z'), PATHWAY_COHORT, ZONES, IOP_SLOTS);
    expect(evening.clients.map((c) => [c.profile, c.admittedOn])).toEqual(
      morning.clients.map((c) => [c.profile, c.admittedOn]),
    );
  });

  it('places sessions on the track slots in the site zone, ended before now, from the admission date', () => {
    const plan = planCohort(now, PATHWAY_COHORT, ZONES, IOP_SLOTS);
    for (const client of plan.clients) {
      const zone = ZONES[client.siteIndex] as string;
      for (const session of client.sessions) {
        const local = new Date(session.startsAt).toLocaleString('en-US', {
          timeZone: zone,
          weekday: 'long',
          hour: '2-digit',
          minute: '2-digit',
          hour12: false,
        });
        expect(local).toMatch(/^(Monday|Tuesday|Thursday),? 18:00$/);
        expect(session.sessionDate >= client.admittedOn).toBe(true);
        expect(Date.parse(session.endsAt)).toBeLessThanOrEqual(now.getTime());
      }
      // Weekly: three sessions a week after the first partial one.
      expect(client.sessions.length).toBeGreaterThanOrEqual((PATHWAY_COHORT.weeks - 2) * 3);
    }
  });

  it('dates every screen and review no later than the last session, and results no later than now', () => {
    const plan = planCohort(now, PATHWAY_COHORT, ZONES, IOP_SLOTS);
    for (const client of plan.clients) {
      const lastSession = client.sessions.at(-1)?.sessionDate ?? '';
      for (const screen of client.screens) {
        expect(screen.collectedOn <= lastSession).toBe(true);
        expect(Date.parse(screen.resultedAt)).toBeLessThanOrEqual(now.getTime());
      }
      for (const review of client.reviews) expect(review.reviewedOn <= lastSession).toBe(true);
    }
  });

  it(`refuses a cohort shorter than ${MIN_COHORT_WEEKS} weeks, whose outcomes would depend on the date`, () => {
    expect(() => planCohort(now, { ...PATHWAY_COHORT, weeks: 6 }, ZONES, IOP_SLOTS)).toThrow(
      /at least 8 weeks/,
    );
  });
});
