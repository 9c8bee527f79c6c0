import { IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { defineEvent } from '../define-event';

export class ClientEnrolledV1Payload {
  @IsUUID()
  readonly enrollmentId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsUUID()
  readonly programTrackId!: string;

  @IsCalendarDate()
  @Describe('First day of the enrollment, in the site time zone.')
  readonly startsOn!: string;

  @IsIntBetween(0, 10080)
  readonly plannedWeeklyMinutes!: number;
}

export const ClientEnrolled = defineEvent({
  type: 'ClientEnrolled',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ClientEnrolledV1Payload,
  summary: 'A client was enrolled in a program track.',
});
