import { AppointmentScheduledV1Payload } from '../events/scheduling/appointment-scheduled';
import { EVENT_TYPES, eventDefinition } from '../registry/registry';
import { exampleEvents } from '../testing/example-events';
import { compiledCheck } from './compiled-check';
import { checkPayload, classValidatorViolations } from './violations';

type Plain = Record<string, unknown>;

/** Values of every JSON type and the usual edge cases, for every property of every contract. */
const PROBES: readonly unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  1e10,
  Number.NaN,
  true,
  '',
  'x',
  'a'.repeat(10_000),
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '2026-02-30T00:00:00Z',
  '2026-12-01T12:00:00Z',
  '2026-12-01',
  '12:00',
  'F11.20',
  'America/New_York',
  [],
  ['x'],
  [1, 1],
  {},
  { nested: 'object' },
];

/** The example and its variations: each property removed, replaced by each probe and by each other property's value. */
function variations(example: Plain): Plain[] {
  const keys = Object.keys(example);
  const out: Plain[] = [example, { ...example, unknownProperty: 'x' }, {}];
  for (const key of keys) {
    const { [key]: _removed, ...without } = example;
    out.push(without);
    for (const probe of PROBES) out.push({ ...example, [key]: probe });
    for (const other of keys) out.push({ ...example, [key]: example[other] });
    const value = example[key];
    if (Array.isArray(value))
      out.push({ ...example, [key]: [...(value as unknown[]), ...(value as unknown[])] });
  }
  return out;
}

describe('compiledCheck', () => {
  const payloadClass = (type: (typeof EVENT_TYPES)[number]): new () => object =>
    eventDefinition(type).payload as new () => object;

  it.each(EVENT_TYPES.map((type) => [type]))('%s: accepts exactly what class-validator accepts', (type) => {
    const check = compiledCheck(payloadClass(type));
    if (check === undefined) return;
    const example = structuredClone(exampleEvents[type]) as unknown as Plain;
    for (const payload of variations(example)) {
      const reference = classValidatorViolations(payloadClass(type), payload).length === 0;
      expect({ payload, valid: check(payload) }).toEqual({ payload, valid: reference });
    }
  });

  it('compiles the flat contracts, so bulk publishing takes the fast path', () => {
    expect(compiledCheck(AppointmentScheduledV1Payload)).toBeDefined();
    const compiled = EVENT_TYPES.filter((type) => compiledCheck(payloadClass(type)) !== undefined);
    // Most contracts are flat; the rest (nested classes) keep class-validator alone.
    expect(compiled.length).toBeGreaterThan(EVENT_TYPES.length / 2);
  });

  it('leaves the messages of a rejected payload to class-validator', () => {
    const payload = {
      ...exampleEvents.AppointmentScheduled,
      endsAt: exampleEvents.AppointmentScheduled.startsAt,
      extra: 1,
    };
    const check = checkPayload(AppointmentScheduledV1Payload, payload);
    expect(check.value).toBeUndefined();
    expect(check.violations).toEqual(classValidatorViolations(AppointmentScheduledV1Payload, payload));
    expect(check.violations.map((v) => `${v.path}:${v.constraint}`)).toEqual([
      'endsAt:isLaterThan',
      'extra:whitelistValidation',
    ]);
  });
});
