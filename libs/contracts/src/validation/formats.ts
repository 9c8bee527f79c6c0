/**
 * Wire formats shared by payload rules, the envelope and the generated schemas, so a value the library accepts
 * is described by the same pattern in the JSON Schemas external subscribers use.
 */

/** RFC 3339 instant with an explicit offset (`Z` or `±hh:mm`); uppercase `T`/`Z` only. */
export const INSTANT_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$';
/** A calendar date, `YYYY-MM-DD`. */
export const CALENDAR_DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
/** A wall-clock time of day in the site's time zone, `HH:mm`, 24-hour. */
export const TIME_OF_DAY_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
/** UUID text form of any version (ids are v7 where ordering helps, but other producers may differ). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/**
 * A machine code such as a rule-set or band-definition version (`illustrative-2025.1`, `phq-9@2`): short, no
 * spaces, so it can never carry free text.
 */
export const CODE_PATTERN = '^[a-z0-9][a-z0-9._@-]*$';
export const CODE_MAX_LENGTH = 64;
/** A display label of reference data (a site or track name): no control characters, no outer whitespace. */
export const LABEL_PATTERN =
  '^[^\\s\\u0000-\\u001f\\u007f]([^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f])?$';
export const LABEL_MAX_LENGTH = 120;
/**
 * An ICD-10-CM diagnosis code as claims carry it: a letter, two characters (a digit, then a digit or letter),
 * and after a dot one to four more (F10.20, Z63.72, T40.1X1A). The shape only: whether a code exists in the
 * year's code set is the payer's and the clinician's to know, and changes every October.
 */
export const ICD10CM_PATTERN = '^[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$';
/** A number another organisation issued (a payer's authorization number): letters, digits and dashes. */
export const REFERENCE_NUMBER_PATTERN = '^[A-Za-z0-9-]{1,64}$';
/** A HCPCS Level II code (H0015, S9480, H0035): one letter and four digits. */
export const HCPCS_PATTERN = '^[A-Z][0-9]{4}$';

const INSTANT = new RegExp(INSTANT_PATTERN);
const CALENDAR_DATE = new RegExp(CALENDAR_DATE_PATTERN);
const TIME_OF_DAY = new RegExp(TIME_OF_DAY_PATTERN);
const UUID = new RegExp(UUID_PATTERN);
const ICD10CM = new RegExp(ICD10CM_PATTERN);
const HCPCS = new RegExp(HCPCS_PATTERN);
const REFERENCE_NUMBER = new RegExp(REFERENCE_NUMBER_PATTERN);

export function isReferenceNumber(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE_NUMBER.test(value);
}

export function isIcd10CmCode(value: unknown): value is string {
  return typeof value === 'string' && ICD10CM.test(value);
}

export function isHcpcsCode(value: unknown): value is string {
  return typeof value === 'string' && HCPCS.test(value);
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; UTC avoids any local DST effect.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** `2024-02-30` has the right shape but is not a date; this says whether the calendar has that day. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !CALENDAR_DATE.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  return isRealDate(year, month, day);
}

export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !INSTANT.test(value)) return false;
  if (!isCalendarDate(value.slice(0, 10))) return false;
  const hours = Number(value.slice(11, 13));
  const minutes = Number(value.slice(14, 16));
  const seconds = Number(value.slice(17, 19));
  if (hours > 23 || minutes > 59 || seconds > 59) return false;
  if (!value.endsWith('Z')) {
    const offset = value.slice(-6);
    if (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59) return false;
  }
  return true;
}

export function isTimeOfDay(value: unknown): value is string {
  return typeof value === 'string' && TIME_OF_DAY.test(value);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** ISO weekday of a calendar date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}
