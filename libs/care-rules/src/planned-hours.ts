import { type LocalDate, addDays, firstWholeWeekFrom, weekStartOf } from './calendar';

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
