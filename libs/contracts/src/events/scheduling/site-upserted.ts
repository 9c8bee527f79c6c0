import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsTimeZone, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsCalendarDate, IsInstant, IsLabel } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { defineEvent } from '../define-event';

export class SiteUpsertedV1Payload {
  @IsUUID()
  readonly siteId!: string;

  @IsUUID()
  readonly networkId!: string;

  @IsLabel()
  @Describe("The site's display name (a clinic, never a person).")
  readonly name!: string;

  @IsTimeZone()
  @Describe('IANA time zone in which the site computes calendars, weeks and reminders, e.g. America/Chicago.')
  readonly timeZone!: string;

  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsCalendarDate({ each: true })
  @Describe('Dates on which the site is closed (holidays); no sessions are scheduled on them.')
  readonly closures!: readonly string[];

  @IsBoolean()
  readonly active!: boolean;

  @IsInstant()
  @Describe('When this version of the site record was saved.')
  readonly updatedAt!: string;
}

export const SiteUpserted = defineEvent({
  type: 'SiteUpserted',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingReference,
  key: 'siteId',
  confidentiality: Confidentiality.Internal,
  payload: SiteUpsertedV1Payload,
  summary: 'The current state of a site (reference data; the compacted topic keeps the latest per site).',
});
