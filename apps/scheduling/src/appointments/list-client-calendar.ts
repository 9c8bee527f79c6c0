import { Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, type Page, toPage } from '@stepwise/security';
import { type CalendarQuery } from './appointment.dto';
import { type AppointmentView, appointmentView } from './appointment.views';
import { AppointmentsRepository } from './appointments.repository';
import { calendarPage } from './calendar-rules';

/**
 * A client's appointments at a site between two local dates. The route's site permission is the access
 * check; the listing itself is client data, so it is audited (no single record: no `ScopedRecords.audited`).
 */
@Injectable()
export class ListClientCalendar {
  constructor(
    private readonly repository: AppointmentsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(
    actor: Actor,
    clientId: string,
    siteId: string,
    query: CalendarQuery,
  ): Promise<Page<AppointmentView>> {
    const page = calendarPage(query);
    const rows = await this.repository.clientAppointments(clientId, siteId, page);
    await this.audit.record(actor, {
      action: 'list',
      resourceType: 'appointment',
      clientId,
      siteId,
      outcome: 'allowed',
    });
    return toPage(rows, page.limit, (r) => [r.key, r.id], appointmentView);
  }
}
