import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CareRuleSetKind,
  DrugScreenResult,
  LevelOfCare,
  MedicationCode,
  Population,
  ScreenInterpretation,
  ScreenResultReading,
  SubstanceCode,
} from '@stepwise/contracts';
import { ILLUSTRATIVE_PROGRAM_POLICY, ILLUSTRATIVE_PROGRESS, ILLUSTRATIVE_RULES } from './illustrative-rules';
import { progressRuleSetFor, rulesInForce } from './rules-in-force';
import { interpretScreen } from './screen-interpretation';
import { expectedSubstancesOf, type ProgressRule, weeklyMinimum } from './versioned-data';

const adultIop = ILLUSTRATIVE_PROGRESS.progress[0] as ProgressRule;

describe('the rule sets in force', () => {
  it('are the illustrative defaults, labelled so, until one is loaded', () => {
    const rules = rulesInForce([]);
    expect(rules).toBe(ILLUSTRATIVE_RULES);
    expect(rules.progress.illustrative && rules.programShape.illustrative).toBe(true);
    expect(rules.progress.id).toMatch(/^illustrative-/);
  });

  it('are, of each kind, the one loaded last; a decision under it names it', () => {
    const rules = rulesInForce([
      {
        ruleSetId: 'acme-progress@1',
        kind: CareRuleSetKind.Progress,
        illustrative: false,
        progress: [adultIop],
      },
      {
        ruleSetId: 'acme-progress@2',
        kind: CareRuleSetKind.Progress,
        illustrative: false,
        progress: [{ ...adultIop, stepDown: { ...adultIop.stepDown, minWeeksInProgram: 4 } }],
      },
    ]);
    const adult = progressRuleSetFor(LevelOfCare.IntensiveOutpatient, Population.Adult, rules.progress);
    expect(adult?.version).toBe('acme-progress@2');
    expect(adult?.stepDown.minWeeksInProgram).toBe(4);
    // A kind nobody loaded stays illustrative; a population the loaded set leaves out gets no rule.
    expect(rules.programShape.id).toBe('illustrative-program-shape@1');
    expect(progressRuleSetFor(LevelOfCare.IntensiveOutpatient, Population.Adolescent, rules.progress)).toBe(
      undefined,
    );
  });

  it('give scheduling and sessions one weekly minimum per level and population', () => {
    const shape = rulesInForce([
      {
        ruleSetId: 'acme-shape@1',
        kind: CareRuleSetKind.ProgramShape,
        illustrative: false,
        programShape: [
          {
            level: LevelOfCare.IntensiveOutpatient,
            population: Population.Adult,
            minWeeklyMinutes: 600,
            minDaysPerWeek: 3,
            maxDaysPerWeek: 5,
          },
        ],
      },
    ]).programShape;
    expect(weeklyMinimum(shape, LevelOfCare.IntensiveOutpatient, Population.Adult)).toBe(600);
  });

  it('include the program policy: screen readings, MAT expected substances and the documentation grace', () => {
    const illustrative = rulesInForce([]).programPolicy;
    expect(illustrative.id).toBe('illustrative-program-policy@1');
    expect(illustrative.programPolicy.documentationGraceHours).toBe(48);
    const refused = (policy: typeof illustrative) =>
      interpretScreen(DrugScreenResult.Refused, [], '2025-03-03', [], policy.programPolicy).interpretation;
    expect(refused(illustrative)).toBe(ScreenInterpretation.TreatedAsPositive);

    const loaded = rulesInForce([
      {
        ruleSetId: 'acme-policy@1',
        kind: CareRuleSetKind.ProgramPolicy,
        illustrative: false,
        programPolicy: {
          ...ILLUSTRATIVE_PROGRAM_POLICY.programPolicy,
          refused: ScreenResultReading.RetestRequested,
          matExpectedSubstances: [
            {
              medicationCode: MedicationCode.Methadone,
              substances: [SubstanceCode.Methadone, SubstanceCode.Opiates],
            },
          ],
          documentationGraceHours: 72,
        },
      },
    ]).programPolicy;
    expect(loaded.id).toBe('acme-policy@1');
    expect(refused(loaded)).toBe(ScreenInterpretation.RetestRequested);
    expect(loaded.programPolicy.documentationGraceHours).toBe(72);
    expect(expectedSubstancesOf(loaded.programPolicy, MedicationCode.Methadone)).toEqual([
      SubstanceCode.Methadone,
      SubstanceCode.Opiates,
    ]);
    // A medication the loaded policy leaves out has no expected substances, whatever the defaults said.
    expect(expectedSubstancesOf(loaded.programPolicy, MedicationCode.Buprenorphine)).toEqual([]);
    expect(expectedSubstancesOf(illustrative.programPolicy, MedicationCode.Buprenorphine)).toEqual([
      SubstanceCode.Buprenorphine,
    ]);
  });
});

/*
 * "No rule value exists in two places": the numbers of the rule sets are written only in
 * illustrative-rules.ts. Any other source file (tests and test fixtures aside) that sets one of the rule
 * fields to a number literal, or names an old per-service rule id, is a second copy.
 */
describe('the single source of rule values', () => {
  const root = join(__dirname, '../../..');
  const RULE_FIELD =
    /\b(minWeeklyMinutes|belowWeeklyMinutes|minDaysPerWeek|maxDaysPerWeek|expectedStayWeeks|minWeeksInProgram|minAttendance|minConsecutiveNegativeScreens|minGoalsMet|maxDimensionRatings|positiveScreensWindowDays|minPositiveScreens|attendanceBelow|weeklyMinutes|documentationGraceHours|minMinutesPerDay|unitsPerDay|warnUnitsRemaining|warnDaysBeforeExpiry)\s*:\s*[[\d]|\b(refused|adulterated|dilute|invalid)\s*:\s*ScreenResultReading\./;
  const OLD_IDS =
    /asam3?-weekly-minimums-v1|illustrative-(iop|php)-(adult|adolescent)-v1|screen-interpretation-v1|SCREEN_POLICY_V1|DEFAULT_DOCUMENTATION_GRACE_HOURS/;

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules' || name === 'testing' || name === 'dist') return [];
      if (statSync(path).isDirectory()) return sources(path);
      const test = /\.(spec|int-spec|e2e-spec)\.ts$/.test(name) || name.includes('fixture');
      return name.endsWith('.ts') && !test ? [path] : [];
    });
  }

  it('is illustrative-rules.ts', () => {
    const files = ['apps', 'libs'].flatMap((top) =>
      readdirSync(join(root, top)).flatMap((project) => {
        const src = join(root, top, project, 'src');
        return statSync(join(root, top, project)).isDirectory() && existsDir(src) ? sources(src) : [];
      }),
    );
    const copies = files
      .filter((file) => !file.endsWith('illustrative-rules.ts') && !file.includes('/contracts/src/testing/'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ at: `${relative(root, file)}:${i + 1}`, line }))
          .filter(({ line }) => RULE_FIELD.test(line) || OLD_IDS.test(line)),
      );
    expect(copies).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });
});

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
