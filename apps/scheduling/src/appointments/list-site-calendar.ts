import { Injectable } from '@nestjs/common';
import { type Page, toPage } from '@stepwise/security';
import { type CalendarQuery } from './appointment.dto';
import { type OccurrenceView, occurrenceView } from './appointment.views';
import { AppointmentsRepository } from './appointments.repository';
import { calendarPage } from './calendar-rules';

/** A site's sessions between two local dates; the route's site permission is the access check. */
@Injectable()
export class ListSiteCalendar {
  constructor(private readonly repository: AppointmentsRepository) {}

  async execute(siteId: string, query: CalendarQuery): Promise<Page<OccurrenceView>> {
    const page = calendarPage(query);
    const rows = await this.repository.occurrences({ column: 'site_id', value: siteId }, page);
    return toPage(rows, page.limit, (r) => [r.key, r.id], occurrenceView);
  }
}
