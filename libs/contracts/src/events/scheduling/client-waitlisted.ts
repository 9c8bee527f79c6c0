import { IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsInstant, Optional } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { defineEvent } from '../define-event';

export class ClientWaitlistedV1Payload {
  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsUUID()
  @Describe('The track the client waits for.')
  readonly programTrackId!: string;

  @Optional()
  @IsUUID()
  @Describe('The full group series the client waits for, when the wait is for a specific group.')
  readonly groupSeriesId?: string;

  @IsIntBetween(1, 10000)
  @Describe('Position in the waitlist, 1 = next.')
  readonly position!: number;

  @IsInstant()
  readonly waitlistedAt!: string;
}

export const ClientWaitlisted = defineEvent({
  type: 'ClientWaitlisted',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ClientWaitlistedV1Payload,
  summary: 'A client was put on a waitlist because the track or group is full.',
});
