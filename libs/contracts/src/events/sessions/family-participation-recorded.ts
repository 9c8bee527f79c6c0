import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsUUID, ValidateNested } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsCalendarDate } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { FamilyParticipation } from '../../vocabularies/sessions';
import { defineEvent } from '../define-event';

/** A consented family member at a family session: an id from intake's consents, never a name. */
export class FamilyParticipant {
  @IsUUID()
  @Describe('The family member as a consent recipient in intake (an id only).')
  readonly familyMemberId!: string;

  @IsEnum(FamilyParticipation)
  readonly status!: FamilyParticipation;
}

export class FamilyParticipationRecordedV1Payload {
  @IsUUID()
  readonly appointmentId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsCalendarDate()
  readonly sessionDate!: string;

  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FamilyParticipant)
  @Describe("The family members recorded for the session; counted apart from the client's own hours.")
  readonly participants!: FamilyParticipant[];
}

export const FamilyParticipationRecorded = defineEvent({
  type: 'FamilyParticipationRecorded',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: FamilyParticipationRecordedV1Payload,
  summary: 'Consented family members were recorded present or absent at a family session (ids only).',
});
