import { DrugScreenResult, ScreenInterpretation, SubstanceCode } from '@stepwise/contracts';
import { ILLUSTRATIVE_PROGRAM_POLICY } from './illustrative-rules';
import { interpretScreen, type MedicationFact } from './screen-interpretation';

const buprenorphine: MedicationFact = {
  medicationId: 'm-1',
  medicationCode: 'buprenorphine-naloxone',
  mat: true,
  startsOn: '2025-03-03',
  stopsOn: '2025-04-30',
  expectedSubstances: [SubstanceCode.Buprenorphine],
};
const read = (
  result: DrugScreenResult,
  substances: SubstanceCode[],
  on = '2025-03-10',
  medications: MedicationFact[] = [buprenorphine],
) => interpretScreen(result, substances, on, medications, ILLUSTRATIVE_PROGRAM_POLICY.programPolicy);

describe('screen interpretation (the illustrative program policy)', () => {
  it('a positive only for the prescribed MAT medication is not use: counted as a negative, sobriety kept', () => {
    expect(read(DrugScreenResult.Positive, [SubstanceCode.Buprenorphine])).toEqual({
      interpretation: ScreenInterpretation.ExpectedMedication,
      evidence: 'negative',
      resetsSobriety: false,
      missing: [],
    });
  });

  it('a positive for an unexpected substance is use, also beside the prescribed one', () => {
    for (const substances of [
      [SubstanceCode.Fentanyl],
      [SubstanceCode.Buprenorphine, SubstanceCode.Fentanyl],
    ]) {
      expect(read(DrugScreenResult.Positive, substances)).toMatchObject({
        interpretation: ScreenInterpretation.Use,
        evidence: 'positive',
        resetsSobriety: true,
      });
    }
  });

  it('the medication counts only from its first to its last day, and only when it is MAT', () => {
    expect(read(DrugScreenResult.Positive, [SubstanceCode.Buprenorphine], '2025-03-02').interpretation).toBe(
      ScreenInterpretation.Use,
    );
    expect(read(DrugScreenResult.Positive, [SubstanceCode.Buprenorphine], '2025-03-03').interpretation).toBe(
      ScreenInterpretation.ExpectedMedication,
    );
    expect(read(DrugScreenResult.Positive, [SubstanceCode.Buprenorphine], '2025-04-30').interpretation).toBe(
      ScreenInterpretation.ExpectedMedication,
    );
    expect(read(DrugScreenResult.Positive, [SubstanceCode.Buprenorphine], '2025-05-01').interpretation).toBe(
      ScreenInterpretation.Use,
    );
    const notMat = [{ ...buprenorphine, mat: false }];
    expect(
      read(DrugScreenResult.Positive, [SubstanceCode.Buprenorphine], '2025-03-10', notMat).interpretation,
    ).toBe(ScreenInterpretation.Use);
  });

  it('a negative while a MAT medication is prescribed is possible diversion: counts neither way, not a relapse', () => {
    expect(read(DrugScreenResult.Negative, [])).toEqual({
      interpretation: ScreenInterpretation.PossibleDiversion,
      evidence: 'none',
      resetsSobriety: false,
      missing: [{ medication: buprenorphine, substances: [SubstanceCode.Buprenorphine] }],
    });
    // Without a MAT medication, a negative is a negative.
    expect(read(DrugScreenResult.Negative, [], '2025-03-10', [])).toMatchObject({
      interpretation: ScreenInterpretation.Negative,
      evidence: 'negative',
    });
    // Use without the prescribed medication: use, and the diversion is reported too.
    expect(read(DrugScreenResult.Positive, [SubstanceCode.Fentanyl]).missing).toHaveLength(1);
  });

  it('refused and adulterated count as positive without moving the sobriety date; dilute and invalid ask for a retest', () => {
    for (const result of [DrugScreenResult.Refused, DrugScreenResult.Adulterated]) {
      expect(read(result, [])).toEqual({
        interpretation: ScreenInterpretation.TreatedAsPositive,
        evidence: 'positive',
        resetsSobriety: false,
        missing: [],
      });
    }
    for (const result of [DrugScreenResult.Dilute, DrugScreenResult.Invalid]) {
      expect(read(result, [])).toMatchObject({
        interpretation: ScreenInterpretation.RetestRequested,
        evidence: 'none',
        resetsSobriety: false,
      });
    }
  });
});
