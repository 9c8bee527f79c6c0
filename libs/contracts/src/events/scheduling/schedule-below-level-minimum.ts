import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsLessThanProperty, IsWeekStart } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { Population } from '../../vocabularies/program';
import { defineEvent } from '../define-event';

export class ScheduleBelowLevelMinimumV1Payload {
  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsWeekStart()
  @Describe('The Monday starting the ISO week, in the site time zone.')
  readonly weekStart!: string;

  @IsIntBetween(0, 10080)
  @IsLessThanProperty('requiredMinutes')
  @Describe('Minutes scheduled for the week; less than requiredMinutes.')
  readonly plannedMinutes!: number;

  @IsIntBetween(1, 10080)
  @Describe("The weekly minimum of the client's level and population (e.g. 540 for adults at 2.1).")
  readonly requiredMinutes!: number;

  @IsEnum(LevelOfCare)
  readonly levelOfCare!: LevelOfCare;

  @IsEnum(Population)
  readonly population!: Population;
}

export const ScheduleBelowLevelMinimum = defineEvent({
  type: 'ScheduleBelowLevelMinimum',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ScheduleBelowLevelMinimumV1Payload,
  summary: "A client's schedule for a week plans fewer minutes than their level of care requires.",
});
