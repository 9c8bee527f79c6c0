import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { ProjectionsRepository } from '../projections/projections.repository';

/** What sessions consumes from scheduling: enrollments and appointments, projected in the inbox transaction. */
@EventsController()
export class SchedulingEvents {
  constructor(private readonly projections: ProjectionsRepository) {}

  @OnEvent('ClientEnrolled')
  enrolled(
    @Payload() enrollment: EventPayload<'ClientEnrolled'>,
    @Ctx() { tx }: InboxContext<'ClientEnrolled'>,
  ): Promise<void> {
    return this.projections.enroll(tx.manager, enrollment);
  }

  @OnEvent('AppointmentScheduled')
  scheduled(
    @Payload() appointment: EventPayload<'AppointmentScheduled'>,
    @Ctx() { tx }: InboxContext<'AppointmentScheduled'>,
  ): Promise<void> {
    return this.projections.schedule(tx.manager, appointment);
  }

  @OnEvent('AppointmentRescheduled')
  async rescheduled(
    @Payload() change: EventPayload<'AppointmentRescheduled'>,
    @Ctx() { event, tx }: InboxContext<'AppointmentRescheduled'>,
  ): Promise<void> {
    this.requireKnown(event.type, await this.projections.reschedule(tx.manager, change));
  }

  @OnEvent('AppointmentCancelled')
  async cancelled(
    @Payload() cancellation: EventPayload<'AppointmentCancelled'>,
    @Ctx() { event, tx }: InboxContext<'AppointmentCancelled'>,
  ): Promise<void> {
    this.requireKnown(event.type, await this.projections.cancel(tx.manager, cancellation));
  }

  /**
   * Scheduling publishes a client's facts in order on one partition, so a change to an unknown appointment
   * is a broken stream, not a race: fail it (retries, then the dead-letter topic) rather than drop it.
   */
  private requireKnown(type: 'AppointmentRescheduled' | 'AppointmentCancelled', known: boolean): void {
    if (!known) throw new Error(`${type} for an appointment sessions never saw scheduled`);
  }
}
