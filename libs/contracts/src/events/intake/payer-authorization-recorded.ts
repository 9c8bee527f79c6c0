import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate, IsCode, IsInstant, IsReferenceNumber } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { defineEvent } from '../define-event';

export class PayerAuthorizationRecordedV1Payload {
  @IsUUID()
  @Describe('The id of this authorization record; its units are counted down under it.')
  readonly authorizationId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsCode()
  @Describe("The payer's code: which payer's billing rule set applies to the days it covers.")
  readonly payerCode!: string;

  @IsReferenceNumber()
  @Describe("The payer's authorization number (what claims quote).")
  readonly authorizationNumber!: string;

  @IsEnum(LevelOfCare)
  readonly levelOfCare!: LevelOfCare;

  @IsIntBetween(1, 1000)
  @Describe('Units authorized (e.g. IOP days), counted down from attended billable days.')
  readonly units!: number;

  @IsCalendarDate()
  readonly startsOn!: string;

  @IsCalendarDate()
  @Describe('The last day the authorization covers (site time zone); on or after startsOn.')
  readonly endsOn!: string;

  @IsInstant()
  readonly recordedAt!: string;
}

export const PayerAuthorizationRecorded = defineEvent({
  type: 'PayerAuthorizationRecorded',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: PayerAuthorizationRecordedV1Payload,
  summary: 'A payer authorized a level of care for an episode: number, units and date range.',
});
