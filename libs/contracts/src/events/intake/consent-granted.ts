import { Type } from 'class-transformer';
import { IsEnum, IsObject, IsUUID, ValidateNested } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsEnumList } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsInstant, IsLaterThan } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { ConsentPurpose, InformationCategory, RecipientKind } from '../../vocabularies/consent';
import { defineEvent } from '../define-event';

/** Who may receive the disclosed information: a kind and the id of that party, never its name or contact. */
export class ConsentRecipient {
  @IsEnum(RecipientKind)
  readonly kind!: RecipientKind;

  @IsUUID()
  @Describe('Id of the recipient party (a family member, organization, payer...) as registered in intake.')
  readonly id!: string;
}

export class ConsentGrantedV1Payload {
  @IsUUID()
  readonly consentId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => ConsentRecipient)
  readonly recipient!: ConsentRecipient;

  @IsEnumList(ConsentPurpose, 1)
  readonly purposes!: readonly ConsentPurpose[];

  @IsEnumList(InformationCategory, 1)
  @Describe('What may be disclosed. SUD counseling notes are never covered by a general consent.')
  readonly informationCategories!: readonly InformationCategory[];

  @IsInstant()
  readonly grantedAt!: string;

  @IsInstant()
  @IsLaterThan('grantedAt')
  @Describe('When the consent expires; later than grantedAt.')
  readonly expiresAt!: string;
}

export const ConsentGranted = defineEvent({
  type: 'ConsentGranted',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ConsentGrantedV1Payload,
  summary: 'A client granted a 42 CFR Part 2 consent to disclose information to a recipient for purposes.',
});
