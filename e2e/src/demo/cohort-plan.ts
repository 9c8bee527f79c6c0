import { addDays, daysBetween, localDateOf, weekStartOf } from '@stepwise/care-rules';
import { DateTime } from 'luxon';

/**
 * The cohort's clinical story, decided before anything is sent: for each client, the admission date, every
 * group session with its attendance, the weekly drug screens and the plan reviews, all on explicit site-local
 * dates. Nothing here reads the clock — "now" is an argument — so a test can plan the cohort for any run date
 * and check that each profile reaches its outcome under the product's own rules (cohort-plan.spec.ts).
 *
 * What keeps the outcomes independent of the day it runs:
 * - profiles and admission offsets are drawn from the seed in client order, never from how many sessions the
 *   calendar happens to hold;
 * - a session's attendance is a function of the client and the session's position since admission (its
 *   number), not of a shared random stream that more or fewer past sessions would shift;
 * - each profile's pattern is built to meet its rule in any window the last fact can fall in (below).
 */

/** How a client's weeks go. Steady: step-down; struggling: step-up; average: neither (mostly). */
export type Profile = 'steady' | 'struggling' | 'average';

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

/** A weekly group slot of a track, as scheduling's series are defined (site-local wall clock). */
export interface GroupSlot {
  readonly weekday: Weekday;
  /** `HH:MM`, site-local. */
  readonly start: string;
  readonly minutes: number;
}

export interface PlanOptions {
  /** Clients per site. */
  readonly clientsPerSite: number;
  /** Weeks of treatment behind the cohort (admissions spread over the first ten days). */
  readonly weeks: number;
  /** Random but repeatable: the same seed plans the same cohort. */
  readonly seed: number;
  /** Fixed profiles, cycled over each site's clients (tests); drawn from the seed when absent. */
  readonly profiles?: readonly Profile[];
}

/** The goals of every client's treatment plan (the cohort's plan has five). */
export const GOALS_PER_PLAN = 5;

/**
 * The fewest weeks for which the plan guarantees the outcomes: a steady client admitted ten days after the
 * earliest must still be six weeks in when the last session before "now" took place (up to four days earlier).
 */
export const MIN_COHORT_WEEKS = 8;

export type PlannedAttendance =
  | { readonly status: 'present' }
  | { readonly status: 'late'; readonly minutesAttended: number }
  | { readonly status: 'absent' | 'excused'; readonly reasonCode: string };

export interface PlannedSession {
  /** Site-local date of the session. */
  readonly sessionDate: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly minutes: number;
  readonly attendance: PlannedAttendance;
}

export interface PlannedScreen {
  readonly collectedOn: string;
  readonly collectedAt: string;
  readonly resultedAt: string;
  readonly result: 'negative' | 'positive';
  readonly substanceCodes: readonly string[];
}

/** A medication on the client's list from admission (the demo's MAT clients take buprenorphine-naloxone). */
export interface PlannedMedication {
  readonly medicationCode: string;
  readonly mat: boolean;
  readonly startsOn: string;
  readonly expectedSubstances: readonly string[];
}

export interface PlannedReview {
  readonly reviewedOn: string;
  readonly reviewedAt: string;
  /** How many of the plan's goals are met (the first ones). */
  readonly goalsMet: number;
}

export interface PlannedClient {
  readonly siteIndex: number;
  /** The client's number at its site. */
  readonly n: number;
  readonly profile: Profile;
  /** Site-local admission date. */
  readonly admittedOn: string;
  /** The ASAM dimension ratings of the admission assessment (1 to 6). */
  readonly dimensionRatings: readonly number[];
  /** Group sessions from admission that ended by `plannedAt`, in date order. */
  readonly sessions: readonly PlannedSession[];
  readonly screens: readonly PlannedScreen[];
  readonly reviews: readonly PlannedReview[];
  /** MAT clients' medication list: their screens show the prescribed buprenorphine, which is not use. */
  readonly medications: readonly PlannedMedication[];
}

export interface CohortPlan {
  /** The "now" the cohort was planned for: sessions ending after it are in the future. */
  readonly plannedAt: string;
  readonly clients: readonly PlannedClient[];
}

/** A small deterministic generator (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One draw in [0, 1) for a client's k-th item of a kind: the same whatever else the calendar holds. */
function draw(seed: number, client: PlannedClientKey, kind: number, k: number): number {
  const mixed =
    seed ^
    Math.imul(client.siteIndex + 1, 0x9e3779b1) ^
    Math.imul(client.n + 1, 0x85ebca6b) ^
    Math.imul(kind + 1, 0x27d4eb2f) ^
    Math.imul(k + 1, 0xc2b2ae35);
  return seededRandom(mixed)();
}

interface PlannedClientKey {
  readonly siteIndex: number;
  readonly n: number;
}

const WEEKDAYS: readonly Weekday[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

const MINUTE = 60_000;

/**
 * Steady clients miss (unexcused) at most one session in any thirteen in a row, and never one of their first
 * six: a 28-day window holds at most twelve sessions of a three-evening track, so attendance over it stays at
 * 11 of 12 (92 %) or better, whichever day the window ends — above the 85 % a step-down needs, and far above
 * the 50 % under which a step-up fires. Once in twenty-nine sessions they come half an hour late.
 */
function steadyAttendance(phase: number, k: number, minutes: number): PlannedAttendance {
  if (k >= 6 && (k - 6 + phase) % 13 === 0) return { status: 'absent', reasonCode: 'work-conflict' };
  if ((k + phase) % 29 === 5) return { status: 'late', minutesAttended: minutes - 30 };
  return { status: 'present' };
}

/** Struggling clients attend about half their sessions early on and fewer later. */
function strugglingAttendance(roll: number, k: number, total: number): PlannedAttendance {
  const share = k < total / 2 ? 0.6 : 0.35;
  if (roll < share) return { status: 'present' };
  return { status: 'absent', reasonCode: roll < 0.8 ? 'no-show' : 'transportation' };
}

/** Average clients attend about five in six, sometimes late, sometimes excused. */
function averageAttendance(roll: number, minutes: number): PlannedAttendance {
  if (roll < 0.78) return { status: 'present' };
  if (roll < 0.86) return { status: 'late', minutesAttended: minutes - 45 };
  if (roll < 0.92) return { status: 'excused', reasonCode: 'illness' };
  return { status: 'absent', reasonCode: 'no-show' };
}

/** Goals met at the j-th four-weekly review (j from 1): steady ≥ 80 %, average 60 %, struggling ≤ 40 %. */
function goalsMet(profile: Profile, j: number): number {
  switch (profile) {
    case 'steady':
      return j === 1 ? 4 : GOALS_PER_PLAN;
    case 'average':
      return 3;
    case 'struggling':
      return Math.min(j, 2);
  }
}

/**
 * Plans the cohort as of `now` for sites in the given time zones, on the IOP track's weekly group slots.
 * Throws when asked for fewer than MIN_COHORT_WEEKS weeks (the outcomes would depend on the date).
 */
export function planCohort(
  now: Date,
  options: PlanOptions,
  siteZones: readonly string[],
  slots: readonly GroupSlot[],
): CohortPlan {
  if (options.weeks < MIN_COHORT_WEEKS) {
    throw new Error(`A cohort needs at least ${MIN_COHORT_WEEKS} weeks behind it, not ${options.weeks}`);
  }
  const rand = seededRandom(options.seed);
  const clients: PlannedClient[] = [];
  for (const [siteIndex, zone] of siteZones.entries()) {
    const today = localDateOf(now, zone);
    // Every group session of the site since the earliest possible admission, once per site.
    const siteSessions = sessionsBetween(addDays(today, -options.weeks * 7), today, zone, now, slots);
    for (let n = 0; n < options.clientsPerSite; n++) {
      const roll = rand();
      const profile: Profile =
        options.profiles?.[n % options.profiles.length] ??
        (roll < 0.4 ? 'steady' : roll < 0.65 ? 'struggling' : 'average');
      const admittedOn = addDays(today, Math.floor(rand() * 10) - options.weeks * 7);
      const times = siteSessions.filter((t) => t.session.sessionDate >= admittedOn);
      clients.push(planClient(options.seed, { siteIndex, n }, profile, admittedOn, times));
    }
  }
  return { plannedAt: now.toISOString(), clients };
}

/** A session of the site's track, with what every client's plan says of it computed once. */
interface SessionTime {
  readonly at: number;
  readonly monday: boolean;
  readonly session: Omit<PlannedSession, 'attendance'>;
  /** The screen collected before it (Mondays), and the review held before it when one falls due. */
  readonly screenAt: Omit<PlannedScreen, 'result' | 'substanceCodes'>;
  readonly reviewAt: Omit<PlannedReview, 'goalsMet'>;
}

/**
 * The sessions of the weekly slots on the site-local dates `from` to `to` that ended by `now`, in time order.
 * The zone places each start (DST-aware); the rest is arithmetic within the evening, which no DST change
 * touches (they happen at 02:00 local).
 */
function sessionsBetween(
  from: string,
  to: string,
  zone: string,
  now: Date,
  slots: readonly GroupSlot[],
): SessionTime[] {
  const times: SessionTime[] = [];
  const iso = (at: number): string => new Date(at).toISOString();
  for (let sessionDate = from; sessionDate <= to; sessionDate = addDays(sessionDate, 1)) {
    const weekday = WEEKDAYS[daysBetween(weekStartOf(sessionDate), sessionDate)];
    for (const slot of slots.filter((s) => s.weekday === weekday)) {
      const at = DateTime.fromISO(`${sessionDate}T${slot.start}`, { zone }).toMillis();
      const endsAt = at + slot.minutes * MINUTE;
      if (endsAt > now.getTime()) continue;
      const collected = at - 30 * MINUTE;
      times.push({
        at,
        monday: weekday === 'monday',
        session: { sessionDate, startsAt: iso(at), endsAt: iso(endsAt), minutes: slot.minutes },
        screenAt: {
          collectedOn: sessionDate,
          collectedAt: iso(collected),
          // A point-of-care cup: the result is read a quarter of an hour later.
          resultedAt: iso(collected + 15 * MINUTE),
        },
        reviewAt: { reviewedOn: sessionDate, reviewedAt: iso(at - 60 * MINUTE) },
      });
    }
  }
  return times.sort((a, b) => a.at - b.at);
}

function planClient(
  seed: number,
  key: PlannedClientKey,
  profile: Profile,
  admittedOn: string,
  times: readonly SessionTime[],
): PlannedClient {
  const phase = Math.floor(draw(seed, key, 0, 0) * 13);
  // About one client in four is on medication-assisted treatment (drawn apart from everything else).
  const mat = draw(seed, key, 5, 0) < 0.25;
  const sessions = times.map(({ session }, k): PlannedSession => {
    const roll = draw(seed, key, 1, k);
    return {
      ...session,
      attendance:
        profile === 'steady'
          ? steadyAttendance(phase, k, session.minutes)
          : profile === 'struggling'
            ? strugglingAttendance(roll, k, times.length)
            : averageAttendance(roll, session.minutes),
    };
  });

  // Weekly screens, collected before the Monday group. A struggling client's last two are positive: two within
  // 14 days of the last session whatever weekday it fell on (the last Monday is at most three days before it).
  const mondays = times.filter((t) => t.monday);
  const screens = mondays.map(({ screenAt }, w): PlannedScreen => {
    const positive =
      profile === 'struggling'
        ? w >= mondays.length - 2
        : profile === 'average' && w >= 2 && draw(seed, key, 2, w) < 0.08;
    // A MAT client's every screen shows the prescribed buprenorphine; only another substance is use.
    const substanceCodes = [...(mat ? ['buprenorphine'] : []), ...(positive ? ['opiates'] : [])];
    return {
      ...screenAt,
      result: substanceCodes.length > 0 ? 'positive' : 'negative',
      substanceCodes,
    };
  });

  // Plan reviews every four weeks, before the first group on or after the day four weeks fall due.
  const reviews: PlannedReview[] = [];
  for (let j = 1; ; j++) {
    const due = addDays(admittedOn, 28 * j);
    const session = times.find((t) => t.session.sessionDate >= due);
    if (session === undefined) break;
    reviews.push({ ...session.reviewAt, goalsMet: goalsMet(profile, j) });
  }

  return {
    ...key,
    profile,
    admittedOn,
    dimensionRatings: profile === 'struggling' ? [1, 1, 2, 3, 3, 2] : [1, 0, 2, 2, 2, 2],
    sessions,
    screens,
    reviews,
    medications: mat
      ? [
          {
            medicationCode: 'buprenorphine-naloxone',
            mat: true,
            startsOn: admittedOn,
            expectedSubstances: ['buprenorphine'],
          },
        ]
      : [],
  };
}

/** Minutes a planned attendance counts toward the week. */
export function plannedMinutes(session: PlannedSession): number {
  switch (session.attendance.status) {
    case 'present':
      return session.minutes;
    case 'late':
      return session.attendance.minutesAttended;
    case 'absent':
    case 'excused':
      return 0;
  }
}

/** The demo's cohort: twenty clients per site, profiles drawn from the seed, twelve weeks behind them. */
export const DEMO_COHORT: PlanOptions = { clientsPerSite: 20, weeks: 12, seed: 20_261_124 };

/** The end-to-end suite's cohort: each profile at each site, eight weeks behind them. */
export const PATHWAY_COHORT: PlanOptions = {
  clientsPerSite: 4,
  weeks: 8,
  seed: 7,
  profiles: ['steady', 'struggling', 'steady', 'average'],
};
