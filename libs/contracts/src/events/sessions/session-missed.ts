import { IsBoolean, IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { MissedSessionReason } from '../../vocabularies/sessions';
import { defineEvent } from '../define-event';
import { REVISION_DESCRIPTION } from '../descriptions';

export class SessionMissedV1Payload {
  @IsUUID()
  @Describe(
    'The attendance record of this appointment; SessionAttended uses the same id for the same appointment.',
  )
  readonly attendanceId!: string;

  @IsUUID()
  readonly appointmentId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsUUID()
  readonly occurrenceId!: string;

  @IsBoolean()
  readonly excused!: boolean;

  @IsEnum(MissedSessionReason)
  readonly reasonCode!: MissedSessionReason;

  @IsCalendarDate()
  @Describe('The date of the session in the site time zone (decides its ISO week).')
  readonly sessionDate!: string;

  @IsIntBetween(1, 2147483647)
  @Describe(REVISION_DESCRIPTION)
  readonly revision!: number;
}

export const SessionMissed = defineEvent({
  type: 'SessionMissed',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: SessionMissedV1Payload,
  summary: 'A client missed a session, excused or not.',
});
