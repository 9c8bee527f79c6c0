import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsUUID, ValidateNested } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsInstant, IsLabel, IsTimeOfDay, Optional } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { Modality, Population, SessionType, Weekday } from '../../vocabularies/program';
import { defineEvent } from '../define-event';

/** One recurring session of a track's week. */
export class WeeklySessionSlot {
  @IsEnum(Weekday)
  readonly weekday!: Weekday;

  @IsTimeOfDay()
  @Describe('Start time (HH:mm) in the site time zone.')
  readonly start!: string;

  @IsIntBetween(15, 480)
  readonly minutes!: number;

  @IsEnum(SessionType)
  readonly sessionType!: SessionType;
}

export class ProgramTrackUpsertedV1Payload {
  @IsUUID()
  readonly programTrackId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsLabel()
  @Describe('The track display name, e.g. "Adult SUD evening" (a program, never a person).')
  readonly name!: string;

  @IsEnum(LevelOfCare)
  readonly levelOfCare!: LevelOfCare;

  @IsEnum(Population)
  readonly population!: Population;

  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => WeeklySessionSlot)
  readonly weeklyPattern!: readonly WeeklySessionSlot[];

  @IsIntBetween(0, 10080)
  @Describe('Planned minutes per week for a client of this track (group pattern plus individual sessions).')
  readonly plannedWeeklyMinutes!: number;

  @IsEnum(Modality)
  readonly modality!: Modality;

  @Optional()
  @IsIntBetween(1, 104)
  @Describe(
    "The track's expected length of stay in weeks; absent: the program shape rule set's for its level.",
  )
  readonly expectedStayWeeks?: number;

  @Optional()
  @IsIntBetween(0, 336)
  @Describe(
    'Hours after a week ends (local Monday 00:00) during which late attendance still counts before the week is judged; absent: the program policy in force (a care rule set).',
  )
  readonly documentationGraceHours?: number;

  @IsBoolean()
  readonly active!: boolean;

  @IsInstant()
  @Describe('When this version of the track record was saved.')
  readonly updatedAt!: string;
}

export const ProgramTrackUpserted = defineEvent({
  type: 'ProgramTrackUpserted',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingReference,
  key: 'programTrackId',
  confidentiality: Confidentiality.Internal,
  payload: ProgramTrackUpsertedV1Payload,
  summary: 'The current state of a program track (reference data; the latest per track is kept).',
});
