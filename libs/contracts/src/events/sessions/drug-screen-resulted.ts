import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsEnumList } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { defineObjectRule, IsInstant, IsLaterThan, Optional } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { DrugScreenResult, ScreenInterpretation, SubstanceCode } from '../../vocabularies/sessions';
import { defineEvent } from '../define-event';

const MatchesScreenResult = defineObjectRule({
  name: 'matchesScreenResult',
  test: (value, object) => {
    if (!Array.isArray(value)) return true;
    return object['result'] === DrugScreenResult.Positive ? value.length > 0 : value.length === 0;
  },
  message: (property) =>
    `${property} must list the detected substances when result is positive, and be empty otherwise`,
});

export class DrugScreenResultedV1Payload {
  @IsUUID()
  readonly screenId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsInstant()
  @Describe('When the specimen was collected: clinical rules use this time, not when the result arrived.')
  readonly collectedAt!: string;

  @IsInstant()
  @IsLaterThan('collectedAt')
  readonly resultedAt!: string;

  @IsEnum(DrugScreenResult)
  readonly result!: DrugScreenResult;

  @IsEnumList(SubstanceCode, 0)
  @MatchesScreenResult()
  @Describe('Detected substances: at least one when result is positive, empty otherwise.')
  readonly substanceCodes!: readonly SubstanceCode[];

  @Optional()
  @IsEnum(ScreenInterpretation)
  @Describe(
    "What the program's screen policy made of the result given the episode's medications; only `use` is a relapse.",
  )
  readonly interpretation?: ScreenInterpretation;
}

export const DrugScreenResulted = defineEvent({
  type: 'DrugScreenResulted',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: DrugScreenResultedV1Payload,
  summary: "A client's drug screen has a result.",
});
