import { SCREENING_SCALES, ScreeningInstrument, UrgentFlag } from '@stepwise/contracts';
import { SEEDED_BAND_DEFINITIONS } from '../migrations/1764000100000-create-screenings';
import { answersFor } from '../testing/screening-answers';
import { type BandDefinition, bandOf, versionOf } from './band-definitions';
import { INSTRUMENTS, answerProblems, scoreAnswers } from './instruments';

const definitions = SEEDED_BAND_DEFINITIONS as unknown as readonly BandDefinition[];

/** Every edge of every stored definition: the last score of a band and the first of the next. */
const edges = definitions.flatMap((definition) =>
  definition.bands.flatMap((bound, index) => {
    const previous = definition.bands[index - 1];
    return previous === undefined
      ? [[versionOf(definition), bound.minScore, bound.band, definition] as const]
      : [
          [versionOf(definition), bound.minScore - 1, previous.band, definition] as const,
          [versionOf(definition), bound.minScore, bound.band, definition] as const,
        ];
  }),
);

describe('screening band definitions', () => {
  it.each(edges)('%s: total %i is %s', (_version, total, band, definition) => {
    const instrument = INSTRUMENTS[definition.instrument];
    const answers = answersFor(instrument, total);
    expect(answerProblems(instrument, answers)).toEqual([]);
    expect(scoreAnswers(instrument, answers).total).toBe(total);
    expect(bandOf(definition, total)).toBe(band);
  });

  it.each(definitions.map((d) => [versionOf(d), d] as const))(
    '%s starts at 0, ascends, tops at the maximum and uses only bands of the contract',
    (_version, definition) => {
      const scale = SCREENING_SCALES[definition.instrument];
      const bounds = definition.bands.map((b) => b.minScore);
      expect(bounds[0]).toBe(0);
      expect([...bounds].sort((a, b) => a - b)).toEqual(bounds);
      for (const bound of definition.bands) expect(scale.bands).toContain(bound.band);
      const max = INSTRUMENTS[definition.instrument].items.reduce(
        (sum, item) => sum + Math.max(...item.values),
        0,
      );
      expect(max).toBe(scale.maxScore);
      expect(bandOf(definition, max)).toBe(definition.bands[definition.bands.length - 1]?.band);
    },
  );

  it('names the published thresholds of the domain table', () => {
    const bounds = (code: string): number[] =>
      definitions.find((d) => d.code === code)?.bands.map((b) => b.minScore) ?? [];
    expect(bounds('phq-9.kroenke-2001')).toEqual([0, 5, 10, 15, 20]);
    expect(bounds('gad-7.spitzer-2006')).toEqual([0, 5, 10, 15]);
    expect(bounds('audit.who-2001')).toEqual([0, 8, 16, 20]);
    expect(bounds('dast-10.skinner-1982')).toEqual([0, 1, 3, 6, 9]);
    expect(bounds('cows.wesson-2003')).toEqual([0, 5, 13, 25, 37]);
    expect(bounds('ciwa-ar.sullivan-1989')).toEqual([0, 8, 16]);
    expect(bounds('ciwa-ar.mild-10-19')).toEqual([0, 10, 19]);
  });
});

describe('item scoring', () => {
  const phq9 = INSTRUMENTS[ScreeningInstrument.Phq9];
  const dast = INSTRUMENTS[ScreeningInstrument.Dast10];

  it('flags self-harm risk when PHQ-9 item 9 is above 0, whatever the total', () => {
    expect(scoreAnswers(phq9, [0, 0, 0, 0, 0, 0, 0, 0, 1])).toEqual({
      total: 1,
      flags: [UrgentFlag.SelfHarmRisk],
    });
    expect(scoreAnswers(phq9, [3, 3, 3, 3, 3, 3, 3, 3, 0])).toEqual({ total: 24, flags: [] });
  });

  it('reverse-scores DAST-10 item 3: "no" (0) scores 1, "yes" (1) scores 0', () => {
    const allNo = new Array<number>(10).fill(0);
    expect(scoreAnswers(dast, allNo).total).toBe(1);
    expect(
      scoreAnswers(
        dast,
        allNo.map((_, i) => (i === 2 ? 1 : 0)),
      ).total,
    ).toBe(0);
    expect(scoreAnswers(dast, new Array<number>(10).fill(1)).total).toBe(9);
  });

  it.each([
    ['PHQ-9 item above 3', ScreeningInstrument.Phq9, [4, 0, 0, 0, 0, 0, 0, 0, 0], 'answers.0'],
    ['a negative answer', ScreeningInstrument.Gad7, [0, 0, -1, 0, 0, 0, 0], 'answers.2'],
    ['a fraction', ScreeningInstrument.Gad7, [0, 0, 0, 0, 0, 0, 1.5], 'answers.6'],
    [
      'AUDIT item 9 answered 1 (only 0, 2, 4)',
      ScreeningInstrument.Audit,
      [0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
      'answers.8',
    ],
    ['DAST-10 answered 2', ScreeningInstrument.Dast10, [0, 0, 0, 0, 2, 0, 0, 0, 0, 0], 'answers.4'],
    [
      'COWS pulse answered 3 (only 0, 1, 2, 4)',
      ScreeningInstrument.Cows,
      [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      'answers.0',
    ],
    [
      'CIWA-Ar orientation answered 5 (0-4)',
      ScreeningInstrument.CiwaAr,
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 5],
      'answers.9',
    ],
    ['too few answers', ScreeningInstrument.Phq9, [0, 0, 0], 'answers'],
    ['too many answers', ScreeningInstrument.Gad7, [0, 0, 0, 0, 0, 0, 0, 0], 'answers'],
  ])('refuses %s, naming the item', (_name, instrument, answers, field) => {
    expect(answerProblems(INSTRUMENTS[instrument], answers).map((p) => p.field)).toEqual([field]);
  });
});
