import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsEnumList, IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCode, IsWeekStart } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { Population } from '../../vocabularies/program';
import { ProgramShapeBreach } from '../../vocabularies/scheduling';
import { defineEvent } from '../define-event';

export class ScheduleOutsideProgramShapeV1Payload {
  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsWeekStart()
  readonly weekStart!: string;

  @IsIntBetween(0, 10080)
  readonly plannedMinutes!: number;

  @IsIntBetween(0, 7)
  @Describe('Distinct days of the ISO week with a planned session.')
  readonly plannedDays!: number;

  @IsEnumList(ProgramShapeBreach, 1)
  readonly breaches!: readonly ProgramShapeBreach[];

  @IsEnum(LevelOfCare)
  readonly levelOfCare!: LevelOfCare;

  @IsEnum(Population)
  readonly population!: Population;

  @IsCode()
  @Describe('The program-shape rule set (`code@version`) the week was judged by.')
  readonly ruleSetId!: string;
}

export const ScheduleOutsideProgramShape = defineEvent({
  type: 'ScheduleOutsideProgramShape',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ScheduleOutsideProgramShapeV1Payload,
  summary:
    "A client's planned week breaks the level's program shape: too few or too many days, or at or above the upper bound.",
});
