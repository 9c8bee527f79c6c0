import { type AttendanceFact, type ScreenFact, byTime, isAttended } from './facts';

/** A run of like facts: when it began and how long it is. */
export interface Run {
  readonly since: string;
  readonly count: number;
}

/**
 * Runs of unexcused absences in a row of at least `threshold`. An excused absence neither counts nor breaks
 * a run; any attendance ends it.
 */
export function absenceRuns(attendance: readonly AttendanceFact[], threshold: number): Run[] {
  const ordered = [...attendance].sort(byTime((a) => `${a.sessionDate}|${a.startsAt}`));
  return runsOf(
    ordered.map((fact) => ({
      date: fact.sessionDate,
      kind: fact.outcome === 'absent' ? 'hit' : isAttended(fact.outcome) ? 'break' : 'skip',
    })),
    threshold,
  );
}

/**
 * Runs of screens counting as positive without a negative between them, of at least `threshold`, by their
 * evidence (the program policy, illustratively: refused and adulterated count as positive, an expected MAT positive as
 * negative; dilute, invalid and a possible diversion neither count nor break a run).
 */
export function positiveScreenRuns(screens: readonly ScreenFact[], threshold: number): Run[] {
  const ordered = [...screens].sort(byTime((s) => s.collectedAt));
  return runsOf(
    ordered.map((screen) => ({
      date: screen.collectedOn,
      kind: screen.evidence === 'positive' ? 'hit' : screen.evidence === 'negative' ? 'break' : 'skip',
    })),
    threshold,
  );
}

/** Runs of closed weeks short of the minimum, in a row, of at least `threshold` (a week that met it ends a run). */
export function shortWeekRuns(
  weeks: readonly { weekStart: string; short: boolean }[],
  threshold: number,
): Run[] {
  const ordered = [...weeks].sort(byTime((w) => w.weekStart));
  return runsOf(
    ordered.map((week) => ({ date: week.weekStart, kind: week.short ? 'hit' : 'break' })),
    threshold,
  );
}

function runsOf(
  items: readonly { date: string; kind: 'hit' | 'break' | 'skip' }[],
  threshold: number,
): Run[] {
  const runs: Run[] = [];
  let current: { since: string; count: number } | undefined;
  const close = (): void => {
    if (current !== undefined && current.count >= threshold) runs.push({ ...current });
    current = undefined;
  };
  for (const item of items) {
    if (item.kind === 'skip') continue;
    if (item.kind === 'break') {
      close();
      continue;
    }
    current =
      current === undefined ? { since: item.date, count: 1 } : { ...current, count: current.count + 1 };
  }
  close();
  return runs;
}

/** Unexcused absences in a row at the end of the record (up to `asOf`). */
export function trailingAbsences(attendance: readonly AttendanceFact[], asOf: string): number {
  const ordered = [...attendance]
    .filter((fact) => fact.sessionDate <= asOf)
    .sort(byTime((a) => `${a.sessionDate}|${a.startsAt}`));
  let count = 0;
  for (let i = ordered.length - 1; i >= 0; i -= 1) {
    const outcome = ordered[i]?.outcome;
    if (outcome === 'excused') continue;
    if (outcome !== 'absent') break;
    count += 1;
  }
  return count;
}
