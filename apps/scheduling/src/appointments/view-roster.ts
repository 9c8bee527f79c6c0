import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords, refOf } from '@stepwise/security';
import { type RosterView, appointmentView, occurrenceView } from './appointment.views';
import { AppointmentsRepository, ROSTER_RECORD } from './appointments.repository';

/** Who is booked for one session (audited: the attendees are clients). */
@Injectable()
export class ViewRoster {
  constructor(
    private readonly records: ScopedRecords,
    private readonly repository: AppointmentsRepository,
  ) {}

  async execute(actor: Actor, occurrenceId: string): Promise<RosterView> {
    const record = await this.records.load(actor, ROSTER_RECORD, occurrenceId, 'read');
    const occurrence = await this.repository.occurrence(occurrenceId);
    const attendees = await this.repository.attendees(occurrenceId);
    await this.records.audited(actor, 'read', ROSTER_RECORD, refOf(ROSTER_RECORD, record));
    return { occurrence: occurrenceView(occurrence), attendees: attendees.map(appointmentView) };
  }
}
