import { Injectable } from '@nestjs/common';
import { type Actor, type Page, toPage } from '@stepwise/security';
import { GetStaffMember } from '../reference/get-staff-member';
import { type CalendarQuery } from './appointment.dto';
import { type OccurrenceView, occurrenceView } from './appointment.views';
import { AppointmentsRepository } from './appointments.repository';
import { calendarPage } from './calendar-rules';

/** A facilitator's sessions between two local dates, for callers who may see that staff member. */
@Injectable()
export class ListStaffCalendar {
  constructor(
    private readonly staffMembers: GetStaffMember,
    private readonly repository: AppointmentsRepository,
  ) {}

  async execute(actor: Actor, staffId: string, query: CalendarQuery): Promise<Page<OccurrenceView>> {
    // Only callers who may see the staff member see their calendar (404 otherwise, audited).
    await this.staffMembers.execute(actor, staffId);
    const page = calendarPage(query);
    const rows = await this.repository.occurrences({ column: 'facilitator_id', value: staffId }, page);
    return toPage(rows, page.limit, (r) => [r.key, r.id], occurrenceView);
  }
}
