import { type LocalDate, addDays } from './calendar';
import { type ProgramShape } from './versioned-data';

/** How long an episode is expected to stay on its track, and who said so. */
export interface ExpectedStay {
  readonly weeks: number;
  /** Undefined when the track set its own length; else the program-shape rule set's id. */
  readonly ruleSetId: string | undefined;
}

/** The track's own expected length, else its level's in the program shape in force; none: no review is due. */
export function expectedStay(
  trackWeeks: number | null | undefined,
  shape: ProgramShape | undefined,
  ruleSetId: string,
): ExpectedStay | undefined {
  if (trackWeeks !== null && trackWeeks !== undefined) return { weeks: trackWeeks, ruleSetId: undefined };
  return shape?.expectedStayWeeks === undefined ? undefined : { weeks: shape.expectedStayWeeks, ruleSetId };
}

/** The site-local day the episode reaches its expected length: admission plus the weeks, to the day. */
export function stayReachedOn(admittedOn: LocalDate, weeks: number): LocalDate {
  return addDays(admittedOn, weeks * 7);
}
