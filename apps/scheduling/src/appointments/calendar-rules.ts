import { daysBetween } from '@stepwise/care-rules';
import { ProblemException, decodeCursor, pageLimit } from '@stepwise/security';
import { type CalendarQuery } from './appointment.dto';
import { type CalendarPage } from './appointments.repository';

/** The widest calendar range one request may ask for: a quarter keeps a page's scan bounded. */
export const MAX_RANGE_DAYS = 92;

/** A session never lasts longer than a working day; anything longer is a typo in the times. */
const MAX_SESSION_MS = 8 * 3_600_000;

/** The query as a repository page: the range checked (422 when empty or too wide) and the cursor decoded. */
export function calendarPage(query: CalendarQuery): CalendarPage {
  const days = daysBetween(query.from, query.to);
  if (days <= 0) throw new ProblemException('validation-failed', { detail: 'to must be later than from' });
  if (days > MAX_RANGE_DAYS) {
    throw new ProblemException('validation-failed', {
      detail: `A range covers at most ${MAX_RANGE_DAYS} days`,
    });
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
  return {
    from: query.from,
    to: query.to,
    limit: pageLimit(query),
    ...(after === undefined ? {} : { after: [String(after[0]), String(after[1])] as const }),
  };
}

/** The instants of a session, refused when it ends before it starts or lasts more than 8 hours. */
export function sessionInterval(startsAt: string, endsAt: string): { start: Date; end: Date } {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  if (!(end.getTime() > start.getTime())) {
    throw new ProblemException('validation-failed', { detail: 'endsAt must be later than startsAt' });
  }
  if (end.getTime() - start.getTime() > MAX_SESSION_MS) {
    throw new ProblemException('validation-failed', { detail: 'A session lasts at most 8 hours' });
  }
  return { start, end };
}
