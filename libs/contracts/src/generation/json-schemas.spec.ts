import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_DEFINITIONS, findPayloadViolations } from '../index';
import { exampleEvents } from '../testing/example-events';
import { GENERATED_DIR, SCHEMAS_DIR } from './artifacts';

type Plain = Record<string, unknown>;

function readSchema(ceType: string): Plain {
  return JSON.parse(readFileSync(join(GENERATED_DIR, SCHEMAS_DIR, `${ceType}.json`), 'utf8')) as Plain;
}

function compile(ceType: string): ValidateFunction {
  const schema = readSchema(ceType);
  // Strict mode: an unknown keyword or a sloppy schema is an error, as it would be for a strict subscriber.
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('generated JSON Schemas', () => {
  describe.each(EVENT_DEFINITIONS.map((definition) => [definition.ceType, definition] as const))(
    '%s',
    (ceType, definition) => {
      const validate = compile(ceType);
      const example = structuredClone(exampleEvents[definition.type]) as unknown as Plain;

      it('compiles with ajv and accepts the example payload', () => {
        expect(validate(example)).toBe(true);
        expect(validate.errors ?? null).toBeNull();
      });

      it('rejects what the classes reject structurally: a missing field, an extra field, a wrong type', () => {
        const required = readSchema(ceType)['required'] as string[];
        expect(required.length).toBeGreaterThan(0);
        const missing = { ...example };
        delete missing[required[0] as string];
        const extra = { ...example, patientName: 'x' };
        const wrongType = { ...example, [definition.key]: 12 };
        for (const data of [missing, extra, wrongType]) {
          expect({ data, classes: findPayloadViolations(definition.type, data).length > 0 }).toEqual({
            data,
            classes: true,
          });
          expect({ data, schema: validate(data) }).toEqual({ data, schema: false });
        }
      });
    },
  );

  it('rejects impossible dates and unknown codes like the classes do', () => {
    const validate = compile('care.intake.ClientAdmitted.v1');
    const example = exampleEvents.ClientAdmitted;
    expect(validate({ ...example, admittedAt: '2025-02-30T10:00:00Z' })).toBe(false);
    expect(validate({ ...example, admittedAt: '2025-03-03T10:00:00' })).toBe(false);
    expect(validate({ ...example, levelOfCare: '2.2' })).toBe(false);
    expect(validate({ ...example, clientId: 'urn:uuid:01955a00-0000-7000-8000-000000000011' })).toBe(false);
    const plan = compile('care.intake.TreatmentPlanSigned.v1');
    expect(plan({ ...exampleEvents.TreatmentPlanSigned, reviewDueOn: '2025-02-29' })).toBe(false);
    expect(plan({ ...exampleEvents.TreatmentPlanSigned, goalIds: [] })).toBe(false);
  });

  it('validates nested objects through their definitions', () => {
    const validate = compile('care.sessions.StepDownRecommended.v1');
    const evidence = { ...exampleEvents.StepDownRecommended.evidence, dimensionRatings: [0, 0, 0, 0, 0] };
    expect(validate({ ...exampleEvents.StepDownRecommended, evidence })).toBe(false);
    const consent = compile('care.intake.ConsentGranted.v1');
    expect(
      consent({
        ...exampleEvents.ConsentGranted,
        recipient: { kind: 'family-member', id: 'x', email: 'a@b.c' },
      }),
    ).toBe(false);
  });
});
