import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { Population } from '../../vocabularies/program';
import { defineEvent } from '../define-event';

export class ClientAdmittedV1Payload {
  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsUUID()
  readonly programTrackId!: string;

  @IsEnum(LevelOfCare)
  readonly levelOfCare!: LevelOfCare;

  @IsEnum(Population)
  readonly population!: Population;

  @IsInstant()
  readonly admittedAt!: string;

  @IsUUID()
  @Describe('Staff id of the primary counselor.')
  readonly primaryCounselorId!: string;
}

export const ClientAdmitted = defineEvent({
  type: 'ClientAdmitted',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ClientAdmittedV1Payload,
  summary: 'A client was admitted into a program track at a site; an episode of care starts.',
});
