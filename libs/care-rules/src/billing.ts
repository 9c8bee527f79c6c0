import { type LevelOfCare } from '@stepwise/contracts';
import { addDays, daysBetween, localDateOf, weekStartOf } from './calendar';
import { type AttendanceOutcome, isAttended } from './facts';
import { billingRulesFor } from './rules-in-force';
import { type BillingCodeRule, type BillingRules } from './versioned-data';
import { type LevelPeriod } from './weekly-hours';

/*
 * Billing a payer would accept (domain.md, "Attendance"): per-diem codes billed per attended day under the
 * payer's versioned rules. A day counts when the client attended at least the code's minutes that day; the
 * counting days of an ISO week are billable only when there are at least the code's days that week (H0015:
 * 3 hours a day and 3 days a week) and the week's attended minutes reach its weekly minimum, if it has one.
 * The weekly test is of the client's attended days, which is how the week shows on a claim.
 */

/** One attendance record as billing reads it (its session's facilitator renders the service). */
export interface BilledSession {
  readonly sessionDate: string;
  /** Orders the sessions of a day. */
  readonly startsAt: string;
  readonly outcome: AttendanceOutcome;
  readonly minutes: number;
  readonly staffId: string;
  readonly siteId: string;
}

/** What applies on a day: the level of care the client was at, the payer (null: none known) and its rules. */
export interface DayTerms {
  readonly level: LevelOfCare;
  readonly payerCode: string | null;
  readonly rules: BillingRules;
}

export interface BillableDay {
  readonly date: string;
  readonly level: LevelOfCare;
  readonly code: string;
  readonly units: number;
  readonly attendedMinutes: number;
  /** The facilitator of the day's longest attended session (the earliest of equals), and its site. */
  readonly renderingStaffId: string;
  readonly siteId: string;
  readonly ruleSetId: string;
  readonly payerCode: string | null;
}

/** Why an attended day is not billed: each attended day is billed or has exactly one of these. */
export type UnbilledReason =
  'no-billing-code' | 'under-day-minimum' | 'too-few-days-in-week' | 'under-week-minimum';

export interface UnbilledDay {
  readonly date: string;
  readonly siteId: string;
  readonly level: LevelOfCare;
  readonly code: string | null;
  readonly attendedMinutes: number;
  readonly reason: UnbilledReason;
  readonly ruleSetId: string;
}

export interface BilledDays {
  readonly billable: readonly BillableDay[];
  readonly unbilled: readonly UnbilledDay[];
}

interface AttendedDay {
  readonly date: string;
  readonly minutes: number;
  readonly staffId: string;
  readonly siteId: string;
}

/** Attended minutes per day, with who rendered the day's longest session; days with none attended omitted. */
function attendedDays(sessions: readonly BilledSession[]): AttendedDay[] {
  const byDay = new Map<string, BilledSession[]>();
  for (const session of sessions) {
    if (!isAttended(session.outcome) || session.minutes <= 0) continue;
    byDay.set(session.sessionDate, [...(byDay.get(session.sessionDate) ?? []), session]);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, held]) => {
      const longest = [...held].sort(
        (a, b) => b.minutes - a.minutes || (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0),
      )[0] as BilledSession;
      const minutes = held.reduce((sum, s) => sum + s.minutes, 0);
      return { date, minutes, staffId: longest.staffId, siteId: longest.siteId };
    });
}

/**
 * Bills the attended days of one episode. `termsOn` answers the level and payer rules of a day. Pass whole
 * ISO weeks of attendance: a week is judged on all its days, so a period that ends mid-week is billed from
 * the sessions of its whole last week (and filtered to the period afterwards).
 */
export function billDays(
  sessions: readonly BilledSession[],
  termsOn: (date: string) => DayTerms,
): BilledDays {
  const unbilled: UnbilledDay[] = [];
  const candidates = new Map<string, { day: AttendedDay; terms: DayTerms; rule: BillingCodeRule }[]>();
  const weekMinutes = new Map<string, number>();
  const days = attendedDays(sessions);
  for (const day of days) {
    const week = weekStartOf(day.date);
    weekMinutes.set(week, (weekMinutes.get(week) ?? 0) + day.minutes);
  }
  for (const day of days) {
    const terms = termsOn(day.date);
    const rule = terms.rules.codes.find((code) => code.level === terms.level);
    const base = {
      date: day.date,
      siteId: day.siteId,
      level: terms.level,
      attendedMinutes: day.minutes,
      ruleSetId: terms.rules.id,
    };
    if (rule === undefined) {
      unbilled.push({ ...base, code: null, reason: 'no-billing-code' });
    } else if (day.minutes < rule.minMinutesPerDay) {
      unbilled.push({ ...base, code: rule.code, reason: 'under-day-minimum' });
    } else {
      // Days of one week are judged together when the same rule (set and code) applies to them.
      const key = `${weekStartOf(day.date)}|${terms.rules.id}|${rule.code}`;
      candidates.set(key, [...(candidates.get(key) ?? []), { day, terms, rule }]);
    }
  }
  const billable: BillableDay[] = [];
  for (const group of candidates.values()) {
    for (const { day, terms, rule } of group) {
      const base = {
        date: day.date,
        siteId: day.siteId,
        level: terms.level,
        attendedMinutes: day.minutes,
        ruleSetId: terms.rules.id,
      };
      if (group.length < rule.minDaysPerWeek) {
        unbilled.push({ ...base, code: rule.code, reason: 'too-few-days-in-week' });
      } else if ((weekMinutes.get(weekStartOf(day.date)) ?? 0) < (rule.minWeeklyMinutes ?? 0)) {
        unbilled.push({ ...base, code: rule.code, reason: 'under-week-minimum' });
      } else {
        billable.push({
          ...base,
          code: rule.code,
          units: rule.unitsPerDay,
          renderingStaffId: day.staffId,
          payerCode: terms.payerCode,
        });
      }
    }
  }
  const byDate = <T extends { date: string }>(a: T, b: T): number => (a.date < b.date ? -1 : 1);
  return { billable: billable.sort(byDate), unbilled: unbilled.sort(byDate) };
}

/** The whole ISO weeks holding `from` to `to` (inclusive dates): what `billDays` needs to judge the period. */
export function billingWeeksOf(from: string, to: string): { readonly from: string; readonly until: string } {
  return { from: weekStartOf(from), until: addDays(weekStartOf(to), 7) };
}

/** A payer authorization of an episode, as intake recorded it. */
export interface PayerAuthorization {
  readonly authorizationId: string;
  readonly authorizationNumber: string;
  readonly payerCode: string;
  readonly level: LevelOfCare;
  readonly units: number;
  readonly startsOn: string;
  readonly endsOn: string;
  /** Orders authorizations that start on the same day. */
  readonly recordedAt: string;
}

const byStart = (a: PayerAuthorization, b: PayerAuthorization): number =>
  a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : a.recordedAt < b.recordedAt ? -1 : 1;

/** The payer of a day: the latest-recorded authorization covering it, else the latest one started before. */
export function payerOn(authorizations: readonly PayerAuthorization[], date: string): string | null {
  const started = [...authorizations].filter((a) => a.startsOn <= date).sort(byStart);
  const covering = started.filter((a) => a.endsOn >= date);
  return (covering.at(-1) ?? started.at(-1))?.payerCode ?? null;
}

export interface AuthorizedDay extends BillableDay {
  /** The authorization whose units the day used; null: none covered it with units left (not authorized). */
  readonly authorizationId: string | null;
  readonly authorizationNumber: string | null;
}

export interface AuthorizationCount {
  readonly authorization: PayerAuthorization;
  readonly usedUnits: number;
  readonly remainingUnits: number;
}

/**
 * Counts authorized units down from billable days, in date order: each day uses the earliest-starting
 * authorization of its level (and payer) that covers the date and still has the day's units. A day none can
 * take — no authorization, outside every range, or the units used up — is billed unauthorized.
 */
export function countDown(
  days: readonly BillableDay[],
  authorizations: readonly PayerAuthorization[],
): { readonly days: readonly AuthorizedDay[]; readonly counts: readonly AuthorizationCount[] } {
  const ordered = [...authorizations].sort(byStart);
  const used = new Map<string, number>(ordered.map((a) => [a.authorizationId, 0]));
  const authorized = days.map((day): AuthorizedDay => {
    const taken = ordered.find(
      (a) =>
        a.level === day.level &&
        (day.payerCode === null || a.payerCode === day.payerCode) &&
        a.startsOn <= day.date &&
        day.date <= a.endsOn &&
        (used.get(a.authorizationId) ?? 0) + day.units <= a.units,
    );
    if (taken === undefined) return { ...day, authorizationId: null, authorizationNumber: null };
    used.set(taken.authorizationId, (used.get(taken.authorizationId) ?? 0) + day.units);
    return { ...day, authorizationId: taken.authorizationId, authorizationNumber: taken.authorizationNumber };
  });
  const counts = ordered.map((authorization) => {
    const usedUnits = used.get(authorization.authorizationId) ?? 0;
    return { authorization, usedUnits, remainingUnits: authorization.units - usedUnits };
  });
  return { days: authorized, counts };
}

/** Whether billing staff are to be warned about an authorization as of a site-local day. */
export interface AuthorizationWarnings {
  /** Remaining units at or below the payer's threshold. */
  readonly unitsLow: boolean;
  /** Days left to the last covered day, when within the payer's warning window (not after the end). */
  readonly expiringInDays: number | undefined;
}

export function authorizationWarnings(
  count: AuthorizationCount,
  rules: BillingRules,
  asOf: string,
): AuthorizationWarnings {
  const daysLeft = daysBetween(asOf, count.authorization.endsOn);
  return {
    unitsLow: count.remainingUnits <= rules.warnUnitsRemaining,
    expiringInDays:
      count.authorization.startsOn <= asOf && daysLeft >= 0 && daysLeft <= rules.warnDaysBeforeExpiry
        ? daysLeft
        : undefined,
  };
}

/**
 * Claim diagnosis pointers (CMS-1500 box 24E): the letters of the first four diagnoses of the list (box 21,
 * A to L), primary first. An empty list points to nothing (a claim without a diagnosis is held).
 */
export function diagnosisPointers(codes: readonly string[]): string {
  return codes
    .slice(0, 4)
    .map((_, i) => String.fromCharCode(65 + i))
    .join('');
}

/** The clinical level on a site-local day: the last change that took effect on or before it. */
export function levelOn(
  levels: readonly LevelPeriod[],
  date: string,
  timeZone: string,
  fallback: LevelOfCare,
): LevelOfCare {
  let level = levels[0]?.level ?? fallback;
  for (const period of levels) if (localDateOf(period.from, timeZone) <= date) level = period.level;
  return level;
}

/** A revision of an episode's diagnoses (ICD-10-CM, primary first) from its first day. */
export interface DiagnosisRevision {
  readonly revision: number;
  readonly effectiveOn: string;
  readonly diagnosisCodes: readonly string[];
}

/** The diagnoses in force on a day: the latest revision that had begun; none before the first. */
export function diagnosesOn(revisions: readonly DiagnosisRevision[], date: string): readonly string[] {
  const begun = revisions.filter((r) => r.effectiveOn <= date).sort((a, b) => a.revision - b.revision);
  return begun.at(-1)?.diagnosisCodes ?? [];
}

/** What keeps a billable day off a clean claim until someone acts: no diagnosis, no authorized unit. */
export type BillingHold = 'no-diagnosis' | 'no-authorization';

/** Everything billing reads of one episode. */
export interface EpisodeBillingFacts {
  readonly episodeId: string;
  readonly clientId: string;
  readonly timeZone: string;
  /** The current level: the level of days before any recorded change. */
  readonly level: LevelOfCare;
  readonly levels: readonly LevelPeriod[];
  readonly sessions: readonly BilledSession[];
  readonly authorizations: readonly PayerAuthorization[];
  readonly diagnoses: readonly DiagnosisRevision[];
}

/** One line of a claim-ready export: a billable day of a client. */
export interface BillingLine extends AuthorizedDay {
  readonly clientId: string;
  readonly episodeId: string;
  readonly diagnosisCodes: readonly string[];
  readonly diagnosisPointers: string;
  readonly holds: readonly BillingHold[];
}

export interface EpisodeBill {
  readonly lines: readonly BillingLine[];
  readonly unbilled: readonly (UnbilledDay & { readonly clientId: string; readonly episodeId: string })[];
  readonly counts: readonly AuthorizationCount[];
}

/**
 * Bills an episode's attendance: each day under its level and its payer's rules in force (`billing`), its
 * units counted down from the authorizations, its diagnoses those in force that day. Give the whole episode:
 * authorizations count down from the first billed day, whatever period a report then shows.
 */
export function billEpisode(facts: EpisodeBillingFacts, billing: readonly BillingRules[]): EpisodeBill {
  const { billable, unbilled } = billDays(facts.sessions, (date) => {
    const payerCode = payerOn(facts.authorizations, date);
    return {
      level: levelOn(facts.levels, date, facts.timeZone, facts.level),
      payerCode,
      rules: billingRulesFor(billing, payerCode),
    };
  });
  const { days, counts } = countDown(billable, facts.authorizations);
  const ids = { clientId: facts.clientId, episodeId: facts.episodeId };
  const lines = days.map((day): BillingLine => {
    const diagnosisCodes = diagnosesOn(facts.diagnoses, day.date);
    const holds: BillingHold[] = [
      ...(diagnosisCodes.length === 0 ? (['no-diagnosis'] as const) : []),
      ...(day.authorizationId === null ? (['no-authorization'] as const) : []),
    ];
    return { ...day, ...ids, diagnosisCodes, diagnosisPointers: diagnosisPointers(diagnosisCodes), holds };
  });
  return { lines, unbilled: unbilled.map((day) => ({ ...day, ...ids })), counts };
}
