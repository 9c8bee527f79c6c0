import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsDifferentFrom, IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCareChangeReason } from '../../vocabularies/intake';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { defineEvent } from '../define-event';

export class ClientTransferredV1Payload {
  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  @Describe('The site the episode leaves.')
  readonly fromSiteId!: string;

  @IsUUID()
  @IsDifferentFrom('fromSiteId')
  @Describe('The site of the network the episode continues at (from now on its site).')
  readonly siteId!: string;

  @IsUUID()
  @Describe('The track at the new site; scheduling moves the client there from the effective time.')
  readonly newProgramTrackId!: string;

  @IsEnum(LevelOfCare)
  @Describe(
    'The clinical level at the new track (a level change with the move follows as LevelOfCareChanged).',
  )
  readonly levelOfCare!: LevelOfCare;

  @IsInstant()
  readonly effectiveAt!: string;

  @IsEnum(LevelOfCareChangeReason)
  readonly reasonCode!: LevelOfCareChangeReason;

  @IsUUID()
  @Describe('Staff id of the clinician who decided the transfer.')
  readonly decidedBy!: string;
}

export const ClientTransferred = defineEvent({
  type: 'ClientTransferred',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ClientTransferredV1Payload,
  summary: "A client's episode moved to a track at another site of the network (the episode continues).",
});
