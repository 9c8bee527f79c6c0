import { ProgramShapeBreach } from '@stepwise/contracts';
import { type LocalDate, addDays, firstWholeWeekFrom, weekStartOf } from './calendar';
import { type ProgramShape } from './versioned-data';

/** A planned session of one client, dated in the site's time zone. */
export interface PlannedSession {
  readonly localDate: LocalDate;
  readonly minutes: number;
}

export interface WeekBelowMinimum {
  readonly weekStart: LocalDate;
  readonly plannedMinutes: number;
  readonly requiredMinutes: number;
}

/**
 * The ISO weeks whose planned minutes fall short of the level's minimum. Only weeks the client is enrolled
 * for in full are judged (from `enrolledFrom` to the end of the planned horizon): a client admitted on a
 * Thursday cannot be planned nine hours in the three days left of that week, and that is not a shortfall.
 */
export function weeksBelowMinimum(
  sessions: readonly PlannedSession[],
  window: { readonly enrolledFrom: LocalDate; readonly plannedUntil: LocalDate },
  requiredMinutes: number | undefined,
): WeekBelowMinimum[] {
  if (requiredMinutes === undefined) return [];
  const perWeek = new Map<LocalDate, number>();
  for (
    let week = firstWholeWeekFrom(window.enrolledFrom);
    addDays(week, 7) <= window.plannedUntil;
    week = addDays(week, 7)
  ) {
    perWeek.set(week, 0);
  }
  for (const session of sessions) {
    const week = weekStartOf(session.localDate);
    const planned = perWeek.get(week);
    if (planned !== undefined) perWeek.set(week, planned + session.minutes);
  }
  return [...perWeek.entries()]
    .filter(([, planned]) => planned < requiredMinutes)
    .map(([weekStart, plannedMinutes]) => ({ weekStart, plannedMinutes, requiredMinutes }));
}

/** A planned ISO week of one client: minutes and distinct days with a session. */
export interface PlannedWeekTotal {
  readonly weekStart: LocalDate;
  readonly minutes: number;
  readonly days: number;
}

export interface WeekOutsideShape extends PlannedWeekTotal {
  readonly breaches: readonly ProgramShapeBreach[];
}

/**
 * How a planned week breaks its level's shape: fewer or more program days than the level allows (IOP 3 to 5),
 * or minutes at or above its upper bound (adult 2.1 under 20 hours: 19:59 is IOP, 20:00 is not). The minimum
 * is judged apart (weeksBelowMinimum), as it always was.
 */
export function shapeBreaches(
  week: Pick<PlannedWeekTotal, 'minutes' | 'days'>,
  shape: ProgramShape,
): ProgramShapeBreach[] {
  const breaches: ProgramShapeBreach[] = [];
  if (week.days < shape.minDaysPerWeek) breaches.push(ProgramShapeBreach.TooFewDays);
  if (week.days > shape.maxDaysPerWeek) breaches.push(ProgramShapeBreach.TooManyDays);
  if (shape.belowWeeklyMinutes !== undefined && week.minutes >= shape.belowWeeklyMinutes) {
    breaches.push(ProgramShapeBreach.AtOrAboveLevelBound);
  }
  return breaches;
}

/** The weeks enrolled in full (as weeksBelowMinimum judges them) whose plan breaks the level's shape. */
export function weeksOutsideShape(
  weeks: readonly PlannedWeekTotal[],
  window: { readonly enrolledFrom: LocalDate; readonly plannedUntil: LocalDate },
  shape: ProgramShape | undefined,
): WeekOutsideShape[] {
  if (shape === undefined) return [];
  const planned = new Map(weeks.map((week) => [week.weekStart, week]));
  const outside: WeekOutsideShape[] = [];
  for (
    let week = firstWholeWeekFrom(window.enrolledFrom);
    addDays(week, 7) <= window.plannedUntil;
    week = addDays(week, 7)
  ) {
    const total = planned.get(week) ?? { weekStart: week, minutes: 0, days: 0 };
    const breaches = shapeBreaches(total, shape);
    if (breaches.length > 0) outside.push({ ...total, breaches });
  }
  return outside;
}
