import { IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { defineEvent } from '../define-event';

export class ConsentRevokedV1Payload {
  @IsUUID()
  readonly consentId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsInstant()
  readonly revokedAt!: string;
}

export const ConsentRevoked = defineEvent({
  type: 'ConsentRevoked',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ConsentRevokedV1Payload,
  summary: 'A client revoked a consent; disclosures under it stop at once.',
});
