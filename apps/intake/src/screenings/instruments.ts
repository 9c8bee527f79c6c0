import { ScreeningInstrument, UrgentFlag } from '@stepwise/contracts';

/** One item of an instrument: the answers it accepts, and whether its score is reversed. */
export interface ItemSpec {
  /** The answer values the item accepts (COWS and AUDIT skip some values). */
  readonly values: readonly number[];
  /** DAST-10 item 3: a "no" (0) scores 1 and a "yes" (1) scores 0. */
  readonly reversed?: boolean;
}

/** An item whose answer raises a flag whatever the total (PHQ-9 item 9: self-harm). */
export interface ItemFlag {
  /** 1-based item number. */
  readonly item: number;
  readonly above: number;
  readonly flag: UrgentFlag;
}

/** How an instrument is answered and scored. Versioned: a new wording or scoring is a new id. */
export interface InstrumentDefinition {
  readonly id: string;
  readonly instrument: ScreeningInstrument;
  readonly items: readonly ItemSpec[];
  readonly itemFlags: readonly ItemFlag[];
}

const range = (min: number, max: number): number[] =>
  Array.from({ length: max - min + 1 }, (_, index) => min + index);
const repeat = (count: number, item: ItemSpec): ItemSpec[] => Array.from({ length: count }, () => item);

const YES_NO: ItemSpec = { values: [0, 1] };

/**
 * The instruments intake scores, from their published forms. Answers are the item scores as printed on the
 * form (DAST-10: 1 = yes, 0 = no, for every item; the reversal of item 3 is applied here, not by the user).
 */
export const INSTRUMENTS: Readonly<Record<ScreeningInstrument, InstrumentDefinition>> = {
  [ScreeningInstrument.Phq9]: {
    id: 'phq-9@1',
    instrument: ScreeningInstrument.Phq9,
    items: repeat(9, { values: range(0, 3) }),
    itemFlags: [{ item: 9, above: 0, flag: UrgentFlag.SelfHarmRisk }],
  },
  [ScreeningInstrument.Gad7]: {
    id: 'gad-7@1',
    instrument: ScreeningInstrument.Gad7,
    items: repeat(7, { values: range(0, 3) }),
    itemFlags: [],
  },
  [ScreeningInstrument.Audit]: {
    id: 'audit@1',
    instrument: ScreeningInstrument.Audit,
    // Items 9 and 10 offer "no" (0), "yes, but not in the last year" (2), "yes, during the last year" (4).
    items: [...repeat(8, { values: range(0, 4) }), { values: [0, 2, 4] }, { values: [0, 2, 4] }],
    itemFlags: [],
  },
  [ScreeningInstrument.Dast10]: {
    id: 'dast-10@1',
    instrument: ScreeningInstrument.Dast10,
    items: [YES_NO, YES_NO, { values: [0, 1], reversed: true }, ...repeat(7, YES_NO)],
    itemFlags: [],
  },
  [ScreeningInstrument.Cows]: {
    id: 'cows@1',
    instrument: ScreeningInstrument.Cows,
    // Resting pulse, sweating, restlessness, pupil size, bone/joint aches, runny nose, GI upset, tremor,
    // yawning, anxiety/irritability, gooseflesh: the scores each item's descriptions carry.
    items: [
      { values: [0, 1, 2, 4] },
      { values: [0, 1, 2, 3, 4] },
      { values: [0, 1, 3, 5] },
      { values: [0, 1, 2, 5] },
      { values: [0, 1, 2, 4] },
      { values: [0, 1, 2, 4] },
      { values: [0, 1, 2, 3, 5] },
      { values: [0, 1, 2, 4] },
      { values: [0, 1, 2, 4] },
      { values: [0, 1, 2, 4] },
      { values: [0, 3, 5] },
    ],
    itemFlags: [],
  },
  [ScreeningInstrument.CiwaAr]: {
    id: 'ciwa-ar@1',
    instrument: ScreeningInstrument.CiwaAr,
    // Nine items scored 0-7, then orientation and clouding of sensorium 0-4.
    items: [...repeat(9, { values: range(0, 7) }), { values: range(0, 4) }],
    itemFlags: [],
  },
};

export interface ItemProblem {
  readonly field: string;
  readonly problems: string[];
}

export interface ItemScore {
  readonly total: number;
  readonly flags: UrgentFlag[];
}

/** What is wrong with the answers (count, each item's range); empty when they can be scored. */
export function answerProblems(definition: InstrumentDefinition, answers: readonly number[]): ItemProblem[] {
  if (answers.length !== definition.items.length) {
    return [
      {
        field: 'answers',
        problems: [
          `${definition.instrument} has ${definition.items.length} items; got ${answers.length} answers`,
        ],
      },
    ];
  }
  return definition.items.flatMap((item, index) =>
    item.values.includes(answers[index] ?? Number.NaN)
      ? []
      : [{ field: `answers.${index}`, problems: [`item ${index + 1} accepts ${item.values.join(', ')}`] }],
  );
}

/** Total score and item flags of answers that passed `answerProblems`. */
export function scoreAnswers(definition: InstrumentDefinition, answers: readonly number[]): ItemScore {
  const total = definition.items.reduce((sum, item, index) => {
    const answer = answers[index] ?? 0;
    return sum + (item.reversed === true ? 1 - answer : answer);
  }, 0);
  const flags = definition.itemFlags
    .filter((flag) => (answers[flag.item - 1] ?? 0) > flag.above)
    .map((flag) => flag.flag);
  return { total, flags };
}
