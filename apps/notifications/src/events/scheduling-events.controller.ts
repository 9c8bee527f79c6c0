import { Ctx } from '@nestjs/microservices';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { DisclosureFanOut } from '../disclosures/disclosure-fan-out';
import { ReminderPlanner } from '../reminders/reminder-planner';

/**
 * What notifications consumes from scheduling: appointments, which plan reminders and may be disclosed, and
 * enrollments, which may be disclosed. Each handler runs in the consumer's inbox transaction.
 */
@EventsController()
export class SchedulingEvents {
  constructor(
    private readonly reminders: ReminderPlanner,
    private readonly disclosures: DisclosureFanOut,
  ) {}

  /** Enrollments reach only outside systems whose consent covers the schedule. */
  @OnEvent('ClientEnrolled')
  enrolled(@Ctx() { event, tx }: InboxContext<'ClientEnrolled'>): Promise<void> {
    return this.disclosures.fanOut(event, tx);
  }

  @OnEvent('ClientWaitlisted')
  waitlisted(@Ctx() { event, tx }: InboxContext<'ClientWaitlisted'>): Promise<void> {
    return this.disclosures.fanOut(event, tx);
  }

  @OnEvent('AppointmentScheduled')
  async scheduled(@Ctx() { event, tx }: InboxContext<'AppointmentScheduled'>): Promise<void> {
    await this.reminders.scheduled(event, tx);
    await this.disclosures.fanOut(event, tx);
  }

  @OnEvent('AppointmentRescheduled')
  async rescheduled(@Ctx() { event, tx }: InboxContext<'AppointmentRescheduled'>): Promise<void> {
    await this.reminders.rescheduled(event, tx);
    await this.disclosures.fanOut(event, tx);
  }

  @OnEvent('AppointmentCancelled')
  async cancelled(@Ctx() { event, tx }: InboxContext<'AppointmentCancelled'>): Promise<void> {
    await this.reminders.cancelled(event, tx);
    await this.disclosures.fanOut(event, tx);
  }
}
