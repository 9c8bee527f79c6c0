import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsInstant, IsLaterThan } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { EmergencyAccessReason } from '../../vocabularies/intake';
import { defineEvent } from '../define-event';

export class EmergencyAccessGrantedV1Payload {
  @IsUUID()
  readonly grantId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  @Describe("The client's site: its clinical supervisors and auditors are alerted.")
  readonly siteId!: string;

  @IsUUID()
  @Describe('The clinician who broke the glass (a site outside their own).')
  readonly staffId!: string;

  @IsEnum(EmergencyAccessReason)
  readonly reasonCode!: EmergencyAccessReason;

  @IsInstant()
  readonly grantedAt!: string;

  @IsInstant()
  @IsLaterThan('grantedAt')
  @Describe('The access ends at this instant.')
  readonly expiresAt!: string;
}

export const EmergencyAccessGranted = defineEvent({
  type: 'EmergencyAccessGranted',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: EmergencyAccessGrantedV1Payload,
  summary:
    "A clinician was granted time-boxed emergency (break-glass) read access to one client's record outside their sites.",
});
