import { IsBoolean, IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsEnumList } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { MedicationCode, SubstanceCode } from '../../vocabularies/sessions';
import { defineEvent } from '../define-event';

export class MedicationStartedV1Payload {
  @IsUUID()
  readonly medicationId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsEnum(MedicationCode)
  readonly medicationCode!: MedicationCode;

  @IsBoolean()
  @Describe('Medication-assisted treatment for the substance use disorder (e.g. buprenorphine, methadone).')
  readonly mat!: boolean;

  @IsUUID()
  @Describe('Staff id of the prescriber.')
  readonly prescriberId!: string;

  @IsCalendarDate()
  @Describe('First day of the medication, in the site time zone.')
  readonly startsOn!: string;

  @IsEnumList(SubstanceCode, 0)
  @Describe('Substances a drug screen is expected to detect while the client takes it.')
  readonly expectedSubstances!: readonly SubstanceCode[];
}

export class MedicationStoppedV1Payload {
  @IsUUID()
  readonly medicationId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsCalendarDate()
  @Describe('Last day of the medication, in the site time zone.')
  readonly stopsOn!: string;
}

export class PossibleMedicationDiversionV1Payload {
  @IsUUID()
  readonly screenId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsUUID()
  readonly medicationId!: string;

  @IsEnum(MedicationCode)
  readonly medicationCode!: MedicationCode;

  @IsEnumList(SubstanceCode, 1)
  @Describe("The medication's expected substances the screen did not detect.")
  readonly missingSubstances!: readonly SubstanceCode[];
}

export const MedicationStarted = defineEvent({
  type: 'MedicationStarted',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: MedicationStartedV1Payload,
  summary: "A medication was added to an episode's medication list (MAT or not).",
});

export const MedicationStopped = defineEvent({
  type: 'MedicationStopped',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: MedicationStoppedV1Payload,
  summary: "A medication of an episode's list was stopped.",
});

export const PossibleMedicationDiversion = defineEvent({
  type: 'PossibleMedicationDiversion',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: PossibleMedicationDiversionV1Payload,
  summary:
    'A drug screen did not detect a prescribed MAT medication: possible diversion, a clinical alert, not a relapse.',
});
