import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { ReferralSource } from '../../vocabularies/intake';
import { defineEvent } from '../define-event';

export class ReferralReceivedV1Payload {
  @IsUUID()
  readonly referralId!: string;

  @IsUUID()
  @Describe('The site the referral was made to.')
  readonly siteId!: string;

  @IsEnum(ReferralSource)
  readonly source!: ReferralSource;

  @IsInstant()
  readonly receivedAt!: string;
}

export const ReferralReceived = defineEvent({
  type: 'ReferralReceived',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  // No client exists yet, so the referral is its own aggregate.
  key: 'referralId',
  confidentiality: Confidentiality.Part2,
  payload: ReferralReceivedV1Payload,
  summary: 'A referral to the program was received at a site.',
});
