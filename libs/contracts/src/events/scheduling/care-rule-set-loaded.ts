import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsDimensionRatings, IsEnumList, IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import {
  IsAllowedOnlyWhen,
  IsAtMostProperty,
  IsCode,
  IsHcpcsCode,
  IsInstant,
  IsLessThanProperty,
  Optional,
} from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { Population } from '../../vocabularies/program';
import { CareRuleSetKind, ScreenResultReading } from '../../vocabularies/scheduling';
import { MedicationCode, SubstanceCode } from '../../vocabularies/sessions';
import { defineEvent } from '../define-event';

const WEEK_MINUTES = 7 * 24 * 60;

/** The shape of a program at one level for one population (domain.md, "Level of care" and "What an IOP is"). */
export class ProgramShapeRule {
  @IsEnum(LevelOfCare)
  readonly level!: LevelOfCare;

  @IsEnum(Population)
  readonly population!: Population;

  @IsIntBetween(0, WEEK_MINUTES)
  @IsLessThanProperty('belowWeeklyMinutes')
  @Describe('Weekly minutes the level requires at least (planned and attended), e.g. 540 for adult 2.1.')
  readonly minWeeklyMinutes!: number;

  @Optional()
  @IsIntBetween(1, WEEK_MINUTES)
  @Describe('Weekly minutes the level must stay under (adult 2.1: under 20 hours, 1200); absent: no bound.')
  readonly belowWeeklyMinutes?: number;

  @IsIntBetween(1, 7)
  @IsAtMostProperty('maxDaysPerWeek')
  @Describe('Fewest program days a week (IOP: 3).')
  readonly minDaysPerWeek!: number;

  @IsIntBetween(1, 7)
  @Describe('Most program days a week (IOP: 5).')
  readonly maxDaysPerWeek!: number;

  @Optional()
  @IsIntBetween(1, 104)
  @Describe('Expected length of stay in weeks, unless the track sets its own; reaching it opens a review.')
  readonly expectedStayWeeks?: number;
}

export class StepDownCriteria {
  @IsEnum(LevelOfCare)
  readonly toLevel!: LevelOfCare;

  @IsIntBetween(0, 104)
  readonly minWeeksInProgram!: number;

  @IsIntBetween(1, 365)
  readonly attendanceWindowDays!: number;

  @IsIntBetween(0, 10_000)
  @Describe('Share of sessions attended over the window, in basis points (8500 = 85 %).')
  readonly minAttendance!: number;

  @IsIntBetween(0, 52)
  readonly minConsecutiveNegativeScreens!: number;

  @IsIntBetween(0, 10_000)
  @Describe('Share of plan goals met at the latest review, in basis points.')
  readonly minGoalsMet!: number;

  @IsDimensionRatings()
  @Describe('Highest acceptable rating of each ASAM dimension (1 to 6, in order) in the latest assessment.')
  readonly maxDimensionRatings!: number[];
}

export class StepUpTriggers {
  @IsEnum(LevelOfCare)
  readonly toLevel!: LevelOfCare;

  @IsIntBetween(1, 365)
  readonly positiveScreensWindowDays!: number;

  @IsIntBetween(1, 52)
  readonly minPositiveScreens!: number;

  @IsIntBetween(1, 365)
  readonly attendanceWindowDays!: number;

  @IsIntBetween(0, 10_000)
  @Describe('Attendance strictly below this share (basis points) over the window triggers a step-up.')
  readonly attendanceBelow!: number;
}

/** The progress rules of one kind of track (level and population). */
export class ProgressRule {
  @IsEnum(LevelOfCare)
  readonly level!: LevelOfCare;

  @IsEnum(Population)
  readonly population!: Population;

  @ValidateNested()
  @Type(() => StepDownCriteria)
  readonly stepDown!: StepDownCriteria;

  @ValidateNested()
  @Type(() => StepUpTriggers)
  readonly stepUp!: StepUpTriggers;

  @IsBoolean()
  @Describe('Whether session notes of such tracks need a clinical supervisor co-signature.')
  readonly cosignRequired!: boolean;
}

/** The substances a screen is expected to show while a client takes a MAT medication. */
export class MatExpectedSubstances {
  @IsEnum(MedicationCode)
  readonly medicationCode!: MedicationCode;

  @IsEnumList(SubstanceCode, 1)
  @Describe('Substance codes a screen shows while the medication is taken (buprenorphine: buprenorphine).')
  readonly substances!: readonly SubstanceCode[];
}

/** The program's policy: how screens are read and how long documentation may lag before a week closes. */
export class ProgramPolicyRule {
  @IsEnum(ScreenResultReading)
  @Describe(
    'What a refused screen counts as (treated-as-positive: a client cannot avoid a step-up by refusing).',
  )
  readonly refused!: ScreenResultReading;

  @IsEnum(ScreenResultReading)
  readonly adulterated!: ScreenResultReading;

  @IsEnum(ScreenResultReading)
  readonly dilute!: ScreenResultReading;

  @IsEnum(ScreenResultReading)
  readonly invalid!: ScreenResultReading;

  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MatExpectedSubstances)
  @Describe(
    'Per MAT medication, the substances a screen is expected to show: the list a medication gets when it is ' +
      'recorded without its own.',
  )
  readonly matExpectedSubstances!: readonly MatExpectedSubstances[];

  @IsIntBetween(0, 336)
  @Describe("Hours after a week's local end before it closes, for tracks that set no grace of their own.")
  readonly documentationGraceHours!: number;
}

/**
 * How one level of care is billed to a payer (domain.md, "Attendance"): a day counts when the client attended
 * at least `minMinutesPerDay` that day, and the days of an ISO week count only when at least `minDaysPerWeek`
 * of them did (H0015: 3 hours a day, 3 days a week) and the week's attended minutes reach `minWeeklyMinutes`.
 */
export class BillingCodeRule {
  @IsEnum(LevelOfCare)
  readonly level!: LevelOfCare;

  @IsHcpcsCode()
  @Describe('The HCPCS code billed per day at the level: H0015 (IOP), S9480 (psychiatric IOP), H0035 (PHP).')
  readonly code!: string;

  @IsIntBetween(1, 1440)
  @Describe('Minutes attended on a day for the day to count (H0015: 180).')
  readonly minMinutesPerDay!: number;

  @IsIntBetween(1, 7)
  @Describe('Counting days an ISO week needs for any of them to be billable (H0015: 3).')
  readonly minDaysPerWeek!: number;

  @Optional()
  @IsIntBetween(1, WEEK_MINUTES)
  @Describe("Minutes the week's attendance must reach besides (PHP: 1200); absent: no weekly minimum.")
  readonly minWeeklyMinutes?: number;

  @IsIntBetween(1, 24)
  @Describe('Units billed per billable day (a per diem code: 1).')
  readonly unitsPerDay!: number;
}

/** One payer's billing rules: the code of each level and when authorization warnings go out. */
export class PayerBillingRules {
  @IsCode()
  @Describe("The payer's code as authorizations name it (e.g. `state-medicaid`).")
  readonly payerCode!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => BillingCodeRule)
  readonly codes!: BillingCodeRule[];

  @IsIntBetween(0, 1000)
  @Describe('Billing staff are warned when an authorization has this many units left or fewer.')
  readonly warnUnitsRemaining!: number;

  @IsIntBetween(0, 365)
  @Describe("Billing staff are warned this many days before an authorization's last day.")
  readonly warnDaysBeforeExpiry!: number;
}

/** What a network administrator submits: the rules, without the id and version the service gives them. */
export class CareRuleSetContent {
  @IsCode()
  @Describe('The rule set code; each load of a code is its next version.')
  readonly code!: string;

  @IsEnum(CareRuleSetKind)
  readonly kind!: CareRuleSetKind;

  @IsBoolean()
  @Describe('True for example rules that are not a licensed or clinically approved source.')
  readonly illustrative!: boolean;

  @Optional()
  @IsAllowedOnlyWhen('kind', CareRuleSetKind.ProgramShape)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ProgramShapeRule)
  @Describe('Kind program-shape only, and required there.')
  readonly programShape?: ProgramShapeRule[];

  @Optional()
  @IsAllowedOnlyWhen('kind', CareRuleSetKind.Progress)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ProgressRule)
  @Describe('Kind progress only, and required there.')
  readonly progress?: ProgressRule[];

  @Optional()
  @IsAllowedOnlyWhen('kind', CareRuleSetKind.ProgramPolicy)
  @ValidateNested()
  @Type(() => ProgramPolicyRule)
  @Describe('Kind program-policy only, and required there.')
  readonly programPolicy?: ProgramPolicyRule;

  @Optional()
  @IsAllowedOnlyWhen('kind', CareRuleSetKind.Billing)
  @ValidateNested()
  @Type(() => PayerBillingRules)
  @Describe("Kind billing only, and required there: one payer's rules; the payer's latest load is in force.")
  readonly billing?: PayerBillingRules;
}

export class CareRuleSetLoadedV1Payload extends CareRuleSetContent {
  @IsUUID()
  @Describe('The id of this load (the record key; every version is kept on the compacted topic).')
  readonly recordId!: string;

  @IsCode()
  @Describe('`code@version`: what every decision made under the rule set records.')
  readonly ruleSetId!: string;

  @IsIntBetween(1, 999_999)
  readonly version!: number;

  @IsInstant()
  @Describe('When it was loaded: from then on it is the rule set of its kind in force.')
  readonly loadedAt!: string;
}

export const CareRuleSetLoaded = defineEvent({
  type: 'CareRuleSetLoaded',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingReference,
  key: 'recordId',
  confidentiality: Confidentiality.Internal,
  payload: CareRuleSetLoadedV1Payload,
  summary:
    "A versioned rule set (program shape, progress, program policy, or one payer's billing) was loaded; the " +
    'latest of each kind (of billing: per payer) is in force.',
});
