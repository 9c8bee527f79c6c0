import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate, IsCode, Optional } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { defineEvent } from '../define-event';

export class ExpectedStayReachedV1Payload {
  @IsUUID()
  @Describe(
    'Derived from the episode and track: the same reach is one review, however often it is published.',
  )
  readonly stayReviewId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsUUID()
  readonly programTrackId!: string;

  @IsEnum(LevelOfCare)
  readonly levelOfCare!: LevelOfCare;

  @IsCalendarDate()
  readonly admittedOn!: string;

  @IsIntBetween(1, 104)
  readonly expectedStayWeeks!: number;

  @IsCalendarDate()
  @Describe('Admission plus the expected weeks, in the site calendar: the day the review became due.')
  readonly reachedOn!: string;

  @Optional()
  @IsCode()
  @Describe('The program-shape rule set that set the length; absent when the track set its own.')
  readonly ruleSetId?: string;
}

export const ExpectedStayReached = defineEvent({
  type: 'ExpectedStayReached',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ExpectedStayReachedV1Payload,
  summary: "An episode reached its track's expected length of stay: intake opens a review in the same queue.",
});
