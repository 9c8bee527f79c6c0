import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { CancellationReason } from '../../vocabularies/scheduling';
import { defineEvent } from '../define-event';

export class AppointmentCancelledV1Payload {
  @IsUUID()
  readonly appointmentId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsEnum(CancellationReason)
  readonly reason!: CancellationReason;

  @IsInstant()
  readonly cancelledAt!: string;
}

export const AppointmentCancelled = defineEvent({
  type: 'AppointmentCancelled',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: AppointmentCancelledV1Payload,
  summary: 'An appointment was cancelled.',
});
