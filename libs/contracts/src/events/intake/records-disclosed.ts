import { IsEnum, IsInt, IsUUID, Max, Min } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsEnumList } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCode, IsInstant, Optional } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { ConsentPurpose, InformationCategory, RecipientKind } from '../../vocabularies/consent';
import { defineEvent } from '../define-event';

/** How records left the program on request of an outside system (webhooks are accounted by notifications). */
export enum DisclosureChannel {
  Fhir = 'fhir',
}

/** The FHIR resource types an outside system may read. */
export enum DisclosedResourceType {
  Patient = 'Patient',
  EpisodeOfCare = 'EpisodeOfCare',
  Appointment = 'Appointment',
  Encounter = 'Encounter',
  Consent = 'Consent',
}

export class RecordsDisclosedV1Payload {
  @IsUUID()
  @Describe('Id of this disclosure: the accounting of disclosures records each once.')
  readonly disclosureId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsEnum(RecipientKind)
  readonly recipientKind!: RecipientKind;

  @IsUUID()
  @Describe('The outside system, as consents name it (ConsentGranted.recipient.id).')
  readonly recipientId!: string;

  @IsUUID()
  @Describe('The consent the disclosure was made under.')
  readonly consentId!: string;

  @IsEnum(ConsentPurpose)
  readonly purpose!: ConsentPurpose;

  @IsEnumList(InformationCategory, 1)
  @Describe("The consent's information categories (its scope, as the disclosure carried it).")
  readonly consentCategories!: readonly InformationCategory[];

  @IsEnumList(ConsentPurpose, 1)
  @Describe("The consent's purposes.")
  readonly consentPurposes!: readonly ConsentPurpose[];

  @IsInstant()
  @Describe('When the consent expires.')
  readonly consentExpiresAt!: string;

  @Optional()
  @IsCode()
  @Describe('The event that ends the consent earlier (e.g. discharge), if any.')
  readonly consentExpiresOnEvent?: string;

  @Optional()
  @IsEnum(InformationCategory)
  @Describe('The consent category that allowed it; absent when the recipient read a consent naming it.')
  readonly category?: InformationCategory;

  @IsEnum(DisclosureChannel)
  readonly channel!: DisclosureChannel;

  @IsEnum(DisclosedResourceType)
  readonly resourceType!: DisclosedResourceType;

  @IsInt()
  @Min(1)
  @Max(10_000)
  @Describe('How many resources of the client the answer carried.')
  readonly resourceCount!: number;

  @IsCode()
  @Describe('SHA-256 (hex) of exactly the body sent.')
  readonly contentSha256!: string;

  @IsCode()
  @Describe('The 42 CFR 2.32 notice version the answer carried.')
  readonly noticeVersion!: string;

  @IsCode()
  @Describe("The consent's redisclosure statement version the answer carried.")
  readonly redisclosureVersion!: string;

  @IsInstant()
  readonly disclosedAt!: string;
}

export const RecordsDisclosed = defineEvent({
  type: 'RecordsDisclosed',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: RecordsDisclosedV1Payload,
  summary:
    "An outside system read a client's records over the FHIR API under a consent; the accounting of disclosures records it.",
});

/**
 * Which consent category lets an outside system read each resource type: the one place this is decided, for
 * FHIR reads and for FHIR webhook payloads alike. A `Consent` needs none: it is shown to the recipient it
 * names (a revoked one too, so the recipient learns its access ended).
 */
export const CATEGORY_OF_RESOURCE: Readonly<Record<DisclosedResourceType, InformationCategory | null>> = {
  [DisclosedResourceType.Patient]: InformationCategory.Demographics,
  [DisclosedResourceType.EpisodeOfCare]: InformationCategory.LevelOfCare,
  [DisclosedResourceType.Appointment]: InformationCategory.Schedule,
  [DisclosedResourceType.Encounter]: InformationCategory.Attendance,
  [DisclosedResourceType.Consent]: null,
};
