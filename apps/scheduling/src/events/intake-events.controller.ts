import { Ctx } from '@nestjs/microservices';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { Enrollments } from '../enrollment/enrollments';

/**
 * What scheduling consumes from intake: admissions, level-of-care changes and discharges. Each handler runs in
 * the inbox transaction: applied once.
 */
@EventsController()
export class IntakeEvents {
  constructor(private readonly enrollments: Enrollments) {}

  @OnEvent('ClientAdmitted')
  admitted(@Ctx() { event, tx }: InboxContext<'ClientAdmitted'>): Promise<void> {
    return this.enrollments.admit(event, tx);
  }

  @OnEvent('LevelOfCareChanged')
  levelChanged(@Ctx() { event, tx }: InboxContext<'LevelOfCareChanged'>): Promise<void> {
    return this.enrollments.changeLevel(event, tx);
  }

  @OnEvent('ClientDischarged')
  discharged(@Ctx() { event, tx }: InboxContext<'ClientDischarged'>): Promise<void> {
    return this.enrollments.discharge(event, tx);
  }
}
