import { Ctx } from '@nestjs/microservices';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { ChangeLevelOfCare } from '../enrollment/change-level-of-care';
import { DischargeClient } from '../enrollment/discharge-client';
import { EnrollClient } from '../enrollment/enroll-client';

/**
 * What scheduling consumes from intake: admissions, level-of-care changes, site transfers and discharges. Each handler runs in
 * the inbox transaction (applied once) and hands the event to its use case.
 */
@EventsController()
export class IntakeEvents {
  constructor(
    private readonly enrollClient: EnrollClient,
    private readonly changeLevelOfCare: ChangeLevelOfCare,
    private readonly dischargeClient: DischargeClient,
  ) {}

  @OnEvent('ClientAdmitted')
  admitted(@Ctx() { event, tx }: InboxContext<'ClientAdmitted'>): Promise<void> {
    return this.enrollClient.execute(event, tx);
  }

  @OnEvent('LevelOfCareChanged')
  levelChanged(@Ctx() { event, tx }: InboxContext<'LevelOfCareChanged'>): Promise<void> {
    return this.changeLevelOfCare.execute(event, tx);
  }

  @OnEvent('ClientTransferred')
  transferred(@Ctx() { event, tx }: InboxContext<'ClientTransferred'>): Promise<void> {
    return this.changeLevelOfCare.transfer(event, tx);
  }

  @OnEvent('ClientDischarged')
  discharged(@Ctx() { event, tx }: InboxContext<'ClientDischarged'>): Promise<void> {
    return this.dischargeClient.execute(event, tx);
  }
}
