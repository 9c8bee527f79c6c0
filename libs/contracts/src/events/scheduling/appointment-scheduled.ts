import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsInstant, IsLaterThan } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { AppointmentKind, Modality, SessionType } from '../../vocabularies/program';
import { defineEvent } from '../define-event';

export class AppointmentScheduledV1Payload {
  @IsUUID()
  readonly appointmentId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsEnum(AppointmentKind)
  readonly kind!: AppointmentKind;

  @IsEnum(SessionType)
  readonly sessionType!: SessionType;

  @IsUUID()
  @Describe('The session occurrence (one meeting of a group series, or the individual session) attended.')
  readonly occurrenceId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsInstant()
  readonly startsAt!: string;

  @IsInstant()
  @IsLaterThan('startsAt')
  @Describe('Later than startsAt.')
  readonly endsAt!: string;

  @IsEnum(Modality)
  readonly modality!: Modality;

  @IsUUID()
  @Describe('Staff id of the facilitator or counselor.')
  readonly facilitatorId!: string;
}

export const AppointmentScheduled = defineEvent({
  type: 'AppointmentScheduled',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: AppointmentScheduledV1Payload,
  summary: 'A client was given an appointment for a group, individual or family session.',
});
