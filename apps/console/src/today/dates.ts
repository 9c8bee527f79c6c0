const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar date of an instant in a time zone (the browser's when none is given), as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

/** A real calendar date written YYYY-MM-DD, or undefined. */
export function parseDate(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || !DATE.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : undefined;
}

/** The date `days` days after (or before) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/** A session's clock time range for people at the site (browser's zone unless given). */
export function timeRange(startsAt: string, endsAt: string, timeZone?: string): string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' });
  return `${format.format(new Date(startsAt))}–${format.format(new Date(endsAt))}`;
}

/** "process-group" → "Process group". */
export const humanize = (code: string): string => {
  const text = code.replace(/-/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};
