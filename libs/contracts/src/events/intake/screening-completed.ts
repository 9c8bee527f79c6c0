import { IsEnum, IsInt, IsUUID, Max, Min } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsEnumList } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { defineObjectRule, IsCode, IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import {
  SCREENING_SCALES,
  ScreeningBand,
  ScreeningInstrument,
  UrgentFlag,
} from '../../vocabularies/screening';
import { defineEvent } from '../define-event';

function scaleOf(
  object: Readonly<Record<string, unknown>>,
): (typeof SCREENING_SCALES)[ScreeningInstrument] | undefined {
  const instrument = object['instrument'];
  return Object.values(ScreeningInstrument).includes(instrument as ScreeningInstrument)
    ? SCREENING_SCALES[instrument as ScreeningInstrument]
    : undefined;
}

const IsScoreOfInstrument = defineObjectRule({
  name: 'isScoreOfInstrument',
  // An unknown instrument is reported by its own rule; only a known scale can bound the score.
  test: (value, object) => {
    const scale = scaleOf(object);
    return !scale || typeof value !== 'number' || (value >= scale.minScore && value <= scale.maxScore);
  },
  message: (property) => `${property} must be within the instrument's score range`,
});

const IsBandOfInstrument = defineObjectRule({
  name: 'isBandOfInstrument',
  test: (value, object) => {
    const scale = scaleOf(object);
    return !scale || scale.bands.includes(value as ScreeningBand);
  },
  message: (property) => `${property} must be one of the instrument's bands`,
});

export class ScreeningCompletedV1Payload {
  @IsUUID()
  readonly screeningId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsEnum(ScreeningInstrument)
  readonly instrument!: ScreeningInstrument;

  @IsInt()
  @Min(0)
  @Max(67)
  @IsScoreOfInstrument()
  @Describe(
    'Total score, within the instrument range (PHQ-9 0-27, GAD-7 0-21, AUDIT 0-40, DAST-10 0-10, COWS 0-48, CIWA-Ar 0-67).',
  )
  readonly totalScore!: number;

  @IsEnum(ScreeningBand)
  @IsBandOfInstrument()
  @Describe("The score band; must be one of the instrument's bands.")
  readonly band!: ScreeningBand;

  @IsCode()
  @Describe('Which band definition (and version) produced the band, e.g. `ciwa-ar.sullivan-1989@1`.')
  readonly bandDefinitionVersion!: string;

  @IsEnumList(UrgentFlag, 0)
  @Describe(
    'Flags that need an urgent clinical response whatever the total (PHQ-9 item 9 above 0 gives self-harm-risk).',
  )
  readonly urgentFlags!: readonly UrgentFlag[];

  @IsInstant()
  readonly completedAt!: string;
}

export const ScreeningCompleted = defineEvent({
  type: 'ScreeningCompleted',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ScreeningCompletedV1Payload,
  summary: 'A standard screening instrument was scored for a client.',
});
