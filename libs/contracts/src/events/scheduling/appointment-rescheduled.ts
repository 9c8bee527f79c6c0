import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsInstant, IsLaterThan } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { RescheduleReason } from '../../vocabularies/scheduling';
import { defineEvent } from '../define-event';

export class AppointmentRescheduledV1Payload {
  @IsUUID()
  readonly appointmentId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsUUID()
  @Describe('The occurrence the appointment now belongs to (may be unchanged).')
  readonly occurrenceId!: string;

  @IsInstant()
  readonly startsAt!: string;

  @IsInstant()
  @IsLaterThan('startsAt')
  @Describe('Later than startsAt.')
  readonly endsAt!: string;

  @IsEnum(RescheduleReason)
  readonly reason!: RescheduleReason;
}

export const AppointmentRescheduled = defineEvent({
  type: 'AppointmentRescheduled',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: AppointmentRescheduledV1Payload,
  summary: 'An appointment moved to a new time.',
});
