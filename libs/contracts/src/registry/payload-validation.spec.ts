import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { ContractViolation, ContractViolationCode } from '../envelope/contract-violation';
import { ClientAdmittedV1Payload } from '../events/intake/client-admitted';
import { examplePayload, exampleEvents } from '../testing/example-events';
import { type PayloadViolation } from '../validation/violations';
import { findPayloadViolations, validatePayload } from './payload-validation';
import { EVENT_DEFINITIONS, EVENT_TYPES, type EventTypeName } from './registry';

type Plain = Record<string, unknown>;

function plainExample(type: EventTypeName): Plain {
  return structuredClone(exampleEvents[type]) as unknown as Plain;
}

function violationsOf(type: EventTypeName, data: unknown): PayloadViolation[] {
  return [...findPayloadViolations(type, data)];
}

/** The violations at one path, as `constraint` names. */
function constraintsAt(type: EventTypeName, data: unknown, path: string): string[] {
  return violationsOf(type, data)
    .filter((violation) => violation.path === path)
    .map((violation) => violation.constraint);
}

const metadataOf = (type: EventTypeName) =>
  getMetadataStorage().getTargetValidationMetadatas(
    EVENT_DEFINITIONS.find((definition) => definition.type === type)?.payload as new () => object,
    '',
    true,
    false,
  );

function propertiesOf(type: EventTypeName): string[] {
  return [...new Set(metadataOf(type).map((metadata) => metadata.propertyName))].sort();
}

function requiredPropertiesOf(type: EventTypeName): string[] {
  const optional = new Set(
    metadataOf(type)
      .filter((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION)
      .map((metadata) => metadata.propertyName),
  );
  return propertiesOf(type).filter((property) => !optional.has(property));
}

function enumPropertiesOf(type: EventTypeName): string[] {
  return [
    ...new Set(
      metadataOf(type)
        .filter((metadata) => metadata.name === 'isEnum')
        .map((metadata) => metadata.propertyName),
    ),
  ].sort();
}

/** A JSON value of the wrong type for the example's value. */
function wrongTypeFor(value: unknown): unknown {
  if (Array.isArray(value)) return 'not-an-array';
  switch (typeof value) {
    case 'string':
      return 12345;
    case 'number':
      return String(value);
    case 'boolean':
      return 'true';
    case 'object':
      return ['an array where an object belongs'];
    default:
      return null;
  }
}

const ALL = EVENT_TYPES.map((type) => [type] as const);

describe('payload classes', () => {
  describe.each(ALL)('%s', (type) => {
    it('accepts the example payload', () => {
      expect(violationsOf(type, plainExample(type))).toEqual([]);
      expect(validatePayload(type, plainExample(type))).toMatchObject(plainExample(type));
    });

    it('rejects each missing required property, naming it', () => {
      const required = requiredPropertiesOf(type);
      expect(required.length).toBeGreaterThan(0);
      for (const property of required) {
        const data = plainExample(type);
        delete data[property];
        expect({ property, constraints: constraintsAt(type, data, property) }).toEqual({
          property,
          constraints: expect.arrayContaining([expect.any(String)]) as unknown,
        });
      }
    });

    it('rejects a wrong JSON type in each property, naming it', () => {
      for (const property of propertiesOf(type)) {
        const data = plainExample(type);
        data[property] = wrongTypeFor(data[property] ?? 'absent optional');
        expect({ property, rejected: constraintsAt(type, data, property).length > 0 }).toEqual({
          property,
          rejected: true,
        });
      }
    });

    it('rejects null in each property, required or optional', () => {
      for (const property of propertiesOf(type)) {
        const data = plainExample(type);
        data[property] = null;
        expect({ property, rejected: constraintsAt(type, data, property).length > 0 }).toEqual({
          property,
          rejected: true,
        });
      }
    });

    it('rejects an unknown code in each enum property with isEnum', () => {
      for (const property of enumPropertiesOf(type)) {
        const data = plainExample(type);
        data[property] = Array.isArray(data[property]) ? ['not-a-code'] : 'not-a-code';
        expect({ property, constraints: constraintsAt(type, data, property) }).toEqual({
          property,
          constraints: expect.arrayContaining(['isEnum']) as unknown,
        });
      }
    });

    it('rejects an extra property, naming it', () => {
      const data = { ...plainExample(type), patientName: 'Jane Doe' };
      expect(violationsOf(type, data)).toEqual([
        {
          path: 'patientName',
          constraint: 'whitelistValidation',
          message: 'property patientName should not exist',
        },
      ]);
    });

    it('rejects a payload that is not an object', () => {
      for (const data of [null, [], 'text', 42, [plainExample(type)]]) {
        expect(violationsOf(type, data)).toEqual([
          { path: '', constraint: 'isObject', message: 'payload must be a JSON object' },
        ]);
      }
    });
  });

  it('throws a ContractViolation naming the property and the constraint', () => {
    const data = { ...plainExample('ClientAdmitted'), levelOfCare: '2.2' };
    let caught: unknown;
    try {
      validatePayload('ClientAdmitted', data);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractViolation);
    const violation = caught as ContractViolation;
    expect(violation.code).toBe(ContractViolationCode.InvalidPayload);
    expect(violation.details.violations).toEqual([
      {
        path: 'levelOfCare',
        constraint: 'isEnum',
        message: 'levelOfCare must be one of the following values: 0.5, 1, 2.1, 2.5, 3.1, 3.3, 3.5, 3.7, 4',
      },
    ]);
    expect(violation.message).toContain('care.intake.ClientAdmitted.v1');
    expect(violation.message).toContain('levelOfCare [isEnum]');
  });
});

describe('payload rules', () => {
  const cases: ReadonlyArray<
    readonly [name: string, type: EventTypeName, patch: Plain, path: string, constraint: string | null]
  > = [
    // Instants: RFC 3339 with an offset, real calendar days and clock times.
    [
      'an impossible day',
      'ReferralReceived',
      { receivedAt: '2025-02-30T10:00:00Z' },
      'receivedAt',
      'isInstant',
    ],
    ['a date without a time', 'ReferralReceived', { receivedAt: '2025-03-03' }, 'receivedAt', 'isInstant'],
    [
      'a time without an offset',
      'ReferralReceived',
      { receivedAt: '2025-03-03T10:00:00' },
      'receivedAt',
      'isInstant',
    ],
    ['hour 24', 'ReferralReceived', { receivedAt: '2025-03-03T24:00:00Z' }, 'receivedAt', 'isInstant'],
    ['a +05:30 offset', 'ReferralReceived', { receivedAt: '2025-03-03T10:00:00+05:30' }, 'receivedAt', null],
    [
      'a malformed UUID',
      'ReferralReceived',
      { referralId: '01955a00-0000-7000-8000' },
      'referralId',
      'isUuid',
    ],
    // Calendar dates.
    [
      '29 February of a common year',
      'TreatmentPlanSigned',
      { reviewDueOn: '2025-02-29' },
      'reviewDueOn',
      'isCalendarDate',
    ],
    ['29 February of a leap year', 'TreatmentPlanSigned', { reviewDueOn: '2028-02-29' }, 'reviewDueOn', null],
    ['month 13', 'SiteUpserted', { closures: ['2025-13-01'] }, 'closures', 'isCalendarDate'],
    [
      'a duplicate closure',
      'SiteUpserted',
      { closures: ['2025-07-04', '2025-07-04'] },
      'closures',
      'arrayUnique',
    ],
    [
      'a week start on a Tuesday',
      'WeeklyHoursShortfall',
      { weekStart: '2025-03-11' },
      'weekStart',
      'isWeekStart',
    ],
    ['a week start on a Monday', 'WeeklyHoursShortfall', { weekStart: '2025-03-17' }, 'weekStart', null],
    // Weekly minimum boundary: 539 of 540 minutes is a shortfall, 540 is not.
    [
      'attended equal to required',
      'WeeklyHoursShortfall',
      { attendedMinutes: 540 },
      'attendedMinutes',
      'isLessThanProperty',
    ],
    [
      'planned equal to required',
      'ScheduleBelowLevelMinimum',
      { plannedMinutes: 540 },
      'plannedMinutes',
      'isLessThanProperty',
    ],
    ['fractional minutes', 'SessionAttended', { minutesAttended: 90.5 }, 'minutesAttended', 'isInt'],
    ['negative minutes', 'SessionAttended', { minutesAttended: -1 }, 'minutesAttended', 'min'],
    ['revision 0', 'SessionAttended', { revision: 0 }, 'revision', 'min'],
    // Screening scales.
    ['a PHQ-9 score above 27', 'ScreeningCompleted', { totalScore: 28 }, 'totalScore', 'isScoreOfInstrument'],
    [
      'an AUDIT score of 40',
      'ScreeningCompleted',
      { instrument: 'audit', totalScore: 40, band: 'zone-iv' },
      'totalScore',
      null,
    ],
    ['an AUDIT band for PHQ-9', 'ScreeningCompleted', { band: 'zone-ii' }, 'band', 'isBandOfInstrument'],
    ['an unknown urgent flag', 'ScreeningCompleted', { urgentFlags: ['sad'] }, 'urgentFlags', 'isEnum'],
    [
      'free text as a band definition',
      'ScreeningCompleted',
      { bandDefinitionVersion: 'Kroenke et al 2001' },
      'bandDefinitionVersion',
      'isCode',
    ],
    [
      'an oversized code',
      'ScreeningCompleted',
      { bandDefinitionVersion: 'a'.repeat(65) },
      'bandDefinitionVersion',
      'isCode',
    ],
    // ASAM dimensions.
    [
      'five dimension ratings',
      'AssessmentCompleted',
      { dimensionRatings: [1, 1, 1, 1, 1] },
      'dimensionRatings',
      'arrayMinSize',
    ],
    [
      'seven dimension ratings',
      'AssessmentCompleted',
      { dimensionRatings: [1, 1, 1, 1, 1, 1, 1] },
      'dimensionRatings',
      'arrayMaxSize',
    ],
    [
      'a rating of 5',
      'AssessmentCompleted',
      { dimensionRatings: [1, 1, 5, 1, 1, 1] },
      'dimensionRatings',
      'max',
    ],
    [
      'a rating of 1.5',
      'AssessmentCompleted',
      { dimensionRatings: [1, 1, 1.5, 1, 1, 1] },
      'dimensionRatings',
      'isInt',
    ],
    ['a null episode', 'AssessmentCompleted', { episodeId: null }, 'episodeId', 'isUuid'],
    [
      'a re-assessment episode',
      'AssessmentCompleted',
      { episodeId: '01955a00-0000-7000-8000-000000000012' },
      'episodeId',
      null,
    ],
    // Cross-field rules.
    ['more goals met than total', 'TreatmentPlanReviewed', { goalsMet: 4 }, 'goalsMet', 'isAtMostProperty'],
    ['an empty goal list', 'TreatmentPlanSigned', { goalIds: [] }, 'goalIds', 'arrayMinSize'],
    [
      'an appointment ending when it starts',
      'AppointmentScheduled',
      { endsAt: '2025-03-03T00:00:00.000Z' },
      'endsAt',
      'isLaterThan',
    ],
    [
      'an appointment ending before it starts',
      'AppointmentRescheduled',
      { endsAt: '2025-03-03T23:00:00.000Z' },
      'endsAt',
      'isLaterThan',
    ],
    [
      'a consent expiring before it is granted',
      'ConsentGranted',
      { expiresAt: '2025-03-01T00:00:00.000Z' },
      'expiresAt',
      'isLaterThan',
    ],
    ['a consent without purposes', 'ConsentGranted', { purposes: [] }, 'purposes', 'arrayMinSize'],
    [
      'a repeated purpose',
      'ConsentGranted',
      { purposes: ['treatment', 'treatment'] },
      'purposes',
      'arrayUnique',
    ],
    ['a recipient given as an array', 'ConsentGranted', { recipient: [] }, 'recipient', 'isObject'],
    ['an unchanged level', 'LevelOfCareChanged', { toLevel: '2.1' }, 'toLevel', 'isDifferentFrom'],
    [
      'a new track on an authorized change',
      'LevelOfCareChanged',
      { kind: 'authorized' },
      'newProgramTrackId',
      'isAllowedOnlyWhen',
    ],
    [
      'a step-down to a higher level',
      'StepDownRecommended',
      { toLevel: '2.5' },
      'toLevel',
      'isLowerLevelThanFrom',
    ],
    ['a step-up to a lower level', 'StepUpRecommended', { toLevel: '1' }, 'toLevel', 'isHigherLevelThanFrom'],
    [
      'a positive screen without substances',
      'DrugScreenResulted',
      { substanceCodes: [] },
      'substanceCodes',
      'matchesScreenResult',
    ],
    [
      'a negative screen with substances',
      'DrugScreenResulted',
      { result: 'negative' },
      'substanceCodes',
      'matchesScreenResult',
    ],
    [
      'a negative screen without substances',
      'DrugScreenResulted',
      { result: 'negative', substanceCodes: [] },
      'substanceCodes',
      null,
    ],
    [
      'a result before collection',
      'DrugScreenResulted',
      { resultedAt: '2025-03-05T14:00:00.000Z' },
      'resultedAt',
      'isLaterThan',
    ],
    // Reference data labels and time zones.
    ['an unknown time zone', 'SiteUpserted', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone', 'isTimeZone'],
    ['an empty site name', 'SiteUpserted', { name: '' }, 'name', 'isLabel'],
    ['a two-line site name', 'SiteUpserted', { name: 'Riverside\nClinic' }, 'name', 'isLabel'],
    ['a NUL in a site name', 'SiteUpserted', { name: 'River\u0000side' }, 'name', 'isLabel'],
    ['a padded site name', 'SiteUpserted', { name: ' Riverside' }, 'name', 'isLabel'],
    ['an oversized site name', 'SiteUpserted', { name: 'R'.repeat(121) }, 'name', 'isLabel'],
    [
      'a NUL in a template code',
      'NotificationSent',
      { templateId: 'reminder\u0000' },
      'templateId',
      'isCode',
    ],
    ['zero attempts', 'NotificationFailed', { attempts: 0 }, 'attempts', 'min'],
    ['an unknown channel', 'NotificationSent', { channel: 'pigeon' }, 'channel', 'isEnum'],
  ];

  it.each(cases)('%s: %s', (_name, type, patch, path, constraint) => {
    const data = { ...plainExample(type), ...patch };
    const found = constraintsAt(type, data, path);
    if (constraint === null) expect(violationsOf(type, data)).toEqual([]);
    else expect(found).toContain(constraint);
  });

  describe('nested objects', () => {
    it('names the nested property that is missing', () => {
      const data = examplePayload('StepDownRecommended') as unknown as Plain;
      const evidence = { ...(data['evidence'] as Plain) };
      delete evidence['goalsTotal'];
      expect(constraintsAt('StepDownRecommended', { ...data, evidence }, 'evidence.goalsTotal')).toContain(
        'isInt',
      );
    });

    it('names the nested array element and property at fault', () => {
      const data = examplePayload('ProgramTrackUpserted') as unknown as Plain;
      const slots = structuredClone(data['weeklyPattern']) as Plain[];
      slots[1] = { ...slots[1], start: '24:00', minutes: 10 };
      const patched = { ...data, weeklyPattern: slots };
      expect(constraintsAt('ProgramTrackUpserted', patched, 'weeklyPattern[1].start')).toEqual([
        'isTimeOfDay',
      ]);
      expect(constraintsAt('ProgramTrackUpserted', patched, 'weeklyPattern[1].minutes')).toEqual(['min']);
    });

    it('rejects extra properties inside nested objects', () => {
      const data = examplePayload('ConsentGranted') as unknown as Plain;
      const patched = { ...data, recipient: { ...(data['recipient'] as Plain), email: 'x@example.org' } };
      expect(violationsOf('ConsentGranted', patched)).toEqual([
        {
          path: 'recipient.email',
          constraint: 'whitelistValidation',
          message: 'property email should not exist',
        },
      ]);
    });

    it('rejects an unknown code in a nested enum', () => {
      const data = examplePayload('ConsentGranted') as unknown as Plain;
      const patched = { ...data, recipient: { ...(data['recipient'] as Plain), kind: 'neighbour' } };
      expect(constraintsAt('ConsentGranted', patched, 'recipient.kind')).toEqual(['isEnum']);
    });

    it('rejects a nested dimension rating out of range with its path', () => {
      const data = examplePayload('StepUpRecommended') as unknown as Plain;
      const evidence = { ...(data['evidence'] as Plain), dimensionRatings: [0, 0, 0, 0, 0, -1] };
      expect(constraintsAt('StepUpRecommended', { ...data, evidence }, 'evidence.dimensionRatings')).toEqual([
        'min',
      ]);
    });
  });

  it('accepts class instances as well as plain objects, and returns plain data', () => {
    const instance = Object.assign(new ClientAdmittedV1Payload(), plainExample('ClientAdmitted'));
    expect(findPayloadViolations('ClientAdmitted', instance)).toEqual([]);
    const invalid = Object.assign(new ClientAdmittedV1Payload(), {
      ...plainExample('ClientAdmitted'),
      siteId: 'x',
    });
    expect(findPayloadViolations('ClientAdmitted', invalid).map((v) => v.path)).toEqual(['siteId']);
    expect(validatePayload('ClientAdmitted', plainExample('ClientAdmitted'))).toStrictEqual(
      plainExample('ClientAdmitted'),
    );
  });
});
