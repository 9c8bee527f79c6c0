import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { AttendanceStatus } from '../../vocabularies/sessions';
import { defineEvent } from '../define-event';
import { REVISION_DESCRIPTION } from '../descriptions';

export class SessionAttendedV1Payload {
  @IsUUID()
  @Describe(
    'The attendance record of this appointment; SessionMissed uses the same id for the same appointment.',
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

  @IsEnum(AttendanceStatus)
  readonly status!: AttendanceStatus;

  @IsIntBetween(0, 1440)
  readonly minutesAttended!: number;

  @IsCalendarDate()
  @Describe('The date of the session in the site time zone (decides its ISO week).')
  readonly sessionDate!: string;

  @IsIntBetween(1, 2147483647)
  @Describe(REVISION_DESCRIPTION)
  readonly revision!: number;
}

export const SessionAttended = defineEvent({
  type: 'SessionAttended',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: SessionAttendedV1Payload,
  summary: 'A client attended a session (possibly late or leaving early), for a number of minutes.',
});
