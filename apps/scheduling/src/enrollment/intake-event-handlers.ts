import { Injectable } from '@nestjs/common';
import { Topics } from '@stepwise/contracts';
import { type ConsumerHandlers, type EventHandlerSet } from '@stepwise/messaging';
import { Enrollments } from './enrollments';

type Handled = 'ClientAdmitted' | 'LevelOfCareChanged' | 'ClientDischarged';

/** What scheduling consumes from intake: admissions, level-of-care changes and discharges. */
@Injectable()
export class IntakeEventHandlers implements EventHandlerSet<Handled> {
  readonly topics = [Topics.IntakeEvents];
  readonly handlers: ConsumerHandlers<Handled> = {
    ClientAdmitted: (event, tx) => this.enrollments.admit(event, tx),
    LevelOfCareChanged: (event, tx) => this.enrollments.changeLevel(event, tx),
    ClientDischarged: (event, tx) => this.enrollments.discharge(event, tx),
  };

  constructor(private readonly enrollments: Enrollments) {}
}
