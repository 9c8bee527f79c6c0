import { type components as Intake } from '../api/generated/intake';
import { type components as Notifications } from '../api/generated/notifications';
import { type components as Sessions } from '../api/generated/sessions';

export type CensusEntry = Intake['schemas']['CensusEntryView'];
export type CensusProgress = Sessions['schemas']['CensusProgressView'];
export type OpenAlert = Notifications['schemas']['OpenAlertView'];

/** One active client of the census: intake's entry, with sessions' progress and notifications' alerts when read. */
export interface CensusRow {
  entry: CensusEntry;
  progress: CensusProgress | undefined;
  alerts: readonly OpenAlert[] | undefined;
}

export interface CensusGroup {
  levelOfCare: string;
  programTrackId: string;
  rows: CensusRow[];
}

/**
 * The three services' parts of the census joined by client id, grouped by level (highest first) and track, each
 * group in name order. A part that was not read (the role may not, or it failed) leaves its fields undefined.
 */
export function joinCensus(
  entries: readonly CensusEntry[],
  progress: readonly CensusProgress[] | undefined,
  alerts: readonly { clientId: string; alerts: readonly OpenAlert[] }[] | undefined,
): CensusGroup[] {
  const progressOf = new Map(progress?.map((p) => [p.episodeId, p]));
  const alertsOf = new Map(alerts?.map((a) => [a.clientId, a.alerts]));
  const groups = new Map<string, CensusGroup>();
  for (const entry of entries) {
    const key = `${entry.levelOfCare}|${entry.programTrackId}`;
    const group = groups.get(key) ?? {
      levelOfCare: entry.levelOfCare,
      programTrackId: entry.programTrackId,
      rows: [],
    };
    group.rows.push({
      entry,
      progress: progressOf.get(entry.episodeId),
      alerts: alerts === undefined ? undefined : (alertsOf.get(entry.clientId) ?? []),
    });
    groups.set(key, group);
  }
  const byName = (a: CensusRow, b: CensusRow): number =>
    `${a.entry.familyName} ${a.entry.givenName}`.localeCompare(`${b.entry.familyName} ${b.entry.givenName}`);
  return [...groups.values()]
    .map((g) => ({ ...g, rows: g.rows.sort(byName) }))
    .sort(
      (a, b) =>
        Number(b.levelOfCare) - Number(a.levelOfCare) || a.programTrackId.localeCompare(b.programTrackId),
    );
}

/** Below the level's weekly minimum so far this week (no minimum: never). */
export const shortOfHours = (p: CensusProgress): boolean =>
  p.requiredMinutes !== null && p.attendedMinutes < p.requiredMinutes;

/** Past the expected length of stay (none expected: never). */
export const pastExpectedStay = (p: CensusProgress): boolean =>
  p.expectedStayWeeks !== null && p.weeksInProgram > p.expectedStayWeeks;

/** A client (or any) id as the services write it. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the search box holds, as the search body's criterion: a client id when it is one, else a name prefix. */
export function searchCriterion(text: string): { clientId: string } | { name: string } | undefined {
  const value = text.trim();
  if (UUID.test(value)) return { clientId: value.toLowerCase() };
  return value.length >= 2 ? { name: value } : undefined;
}
