import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate, IsCode, IsReferenceNumber } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { defineEvent } from '../define-event';

/** An authorization's count-down as one of its warnings saw it (ids, codes, dates and numbers only). */
class AuthorizationStanding {
  @IsUUID()
  readonly authorizationId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  @Describe("The client's site: its billing staff are alerted.")
  readonly siteId!: string;

  @IsCode()
  readonly payerCode!: string;

  @IsReferenceNumber()
  readonly authorizationNumber!: string;

  @IsEnum(LevelOfCare)
  readonly levelOfCare!: LevelOfCare;

  @IsIntBetween(1, 1000)
  readonly units!: number;

  @IsIntBetween(0, 1000)
  @Describe('Units used by attended billable days so far (never more than units).')
  readonly usedUnits!: number;

  @IsIntBetween(0, 1000)
  readonly remainingUnits!: number;

  @IsCalendarDate()
  @Describe('The last day the authorization covers.')
  readonly endsOn!: string;

  @IsCalendarDate()
  @Describe('The site-local day the count-down was judged on.')
  readonly asOf!: string;

  @IsCode()
  @Describe('The billing rule set (`code@version`) whose warning thresholds applied.')
  readonly ruleSetId!: string;
}

export class AuthorizationUnitsLowV1Payload extends AuthorizationStanding {
  @IsIntBetween(0, 1000)
  @Describe('The rule set threshold: warned once remainingUnits is at or below it (0: used up).')
  readonly warnUnitsRemaining!: number;
}

export class AuthorizationExpiringV1Payload extends AuthorizationStanding {
  @IsIntBetween(0, 365)
  @Describe('Days from asOf to endsOn (0: today is the last day).')
  readonly daysLeft!: number;
}

export const AuthorizationUnitsLow = defineEvent({
  type: 'AuthorizationUnitsLow',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: AuthorizationUnitsLowV1Payload,
  summary:
    "A payer authorization's remaining units fell to the payer rule set's warning threshold (once per authorization).",
});

export const AuthorizationExpiring = defineEvent({
  type: 'AuthorizationExpiring',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: AuthorizationExpiringV1Payload,
  summary:
    "A payer authorization's last day is within the payer rule set's warning window (once per authorization).",
});
