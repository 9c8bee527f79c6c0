import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { EVENT_DEFINITIONS } from './registry';

/**
 * Minimum necessary: events carry ids, codes, dates and numbers, never a person's name, birth date, contact
 * details or free text. This walks every payload class (and the classes nested in them) from the registry.
 */

/** Words that name PHI or free text when they appear in a property name (matched on camelCase words). */
const PHI_WORDS = [
  'name',
  'first',
  'last',
  'given',
  'surname',
  'dob',
  'birth',
  'birthdate',
  'birthday',
  'age',
  'phone',
  'mobile',
  'fax',
  'email',
  'mail',
  'address',
  'street',
  'city',
  'zip',
  'postal',
  'ssn',
  'note',
  'notes',
  'text',
  'comment',
  'comments',
  'description',
  'narrative',
  'remark',
  'remarks',
];

/**
 * Explicit exceptions, each with its reason. Keyed by `Class.property`, so the same name on any other class
 * (for example a `name` on a client event) still fails.
 */
const ALLOWLIST: Readonly<Record<string, string>> = {
  'SiteUpsertedV1Payload.name':
    "A clinic's display name (reference data, confidentiality internal); not about a person. Validated as a one-line label.",
  'ProgramTrackUpsertedV1Payload.name':
    'A program track\'s display name such as "Adult SUD evening"; not about a person. Validated as a one-line label.',
};

/** Rules that make a value an id, a code, a date, a number or a nested contract object: never free text. */
const STRUCTURED_RULES = new Set([
  'isUuid',
  'isEnum',
  'isInstant',
  'isCalendarDate',
  'isWeekStart',
  'isTimeOfDay',
  'isCode',
  'isIcd10CmCode',
  'isHcpcsCode',
  'isReferenceNumber',
  'isTimeZone',
  'isInt',
  'isNumber',
  'isBoolean',
  ValidationTypes.NESTED_VALIDATION,
]);

type Cls = new () => object;

function contractClasses(): Cls[] {
  const found = new Set<Cls>();
  const visit = (cls: Cls): void => {
    if (found.has(cls)) return;
    found.add(cls);
    for (const metadata of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
      const nested = defaultMetadataStorage.findTypeMetadata(metadata.target as Cls, metadata.propertyName);
      if (nested) visit(nested.typeFunction() as Cls);
    }
  };
  for (const definition of EVENT_DEFINITIONS) visit(definition.payload as Cls);
  return [...found];
}

function properties(cls: Cls): Map<string, Set<string>> {
  const byProperty = new Map<string, Set<string>>();
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
    const rules = byProperty.get(metadata.propertyName) ?? new Set<string>();
    rules.add(metadata.name ?? metadata.type);
    byProperty.set(metadata.propertyName, rules);
  }
  return byProperty;
}

function words(property: string): string[] {
  return property
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** `noteId`, `goalIdsAddressed`: a reference to a record, not its content. */
function isReference(property: string): boolean {
  return words(property).some((word) => word === 'id' || word === 'ids');
}

const classes = contractClasses();

describe('no PHI in event payloads', () => {
  it('walks every payload class and the classes nested in them', () => {
    expect(classes.length).toBeGreaterThanOrEqual(EVENT_DEFINITIONS.length + 3);
    expect(classes.map((cls) => cls.name)).toEqual(
      expect.arrayContaining(['ConsentRecipient', 'WeeklySessionSlot', 'LevelOfCareEvidence']),
    );
  });

  it.each(classes.map((cls) => [cls.name, cls] as const))(
    '%s has no property named for PHI or free text',
    (name, cls) => {
      const offending = [...properties(cls).keys()].filter(
        (property) =>
          !ALLOWLIST[`${name}.${property}`] &&
          !isReference(property) &&
          words(property).some((word) => PHI_WORDS.includes(word)),
      );
      expect(offending).toEqual([]);
    },
  );

  it.each(classes.map((cls) => [cls.name, cls] as const))(
    '%s holds only ids, codes, dates, numbers and nested contract objects',
    (name, cls) => {
      const freeForm = [...properties(cls).entries()]
        .filter(([property]) => !ALLOWLIST[`${name}.${property}`])
        .filter(([, rules]) => ![...rules].some((rule) => STRUCTURED_RULES.has(rule)))
        .map(([property, rules]) => `${property} (${[...rules].join(', ')})`);
      expect(freeForm).toEqual([]);
    },
  );

  it('keeps the allowlist to properties that exist', () => {
    for (const entry of Object.keys(ALLOWLIST)) {
      const [className, property] = entry.split('.') as [string, string];
      const cls = classes.find((candidate) => candidate.name === className);
      expect({ entry, exists: cls ? properties(cls).has(property) : false }).toEqual({ entry, exists: true });
    }
  });

  it('would catch a name, a birth date, a phone number or a note text', () => {
    const flagged = [
      'firstName',
      'dateOfBirth',
      'phoneNumber',
      'emailAddress',
      'noteText',
      'homeAddress',
      'comments',
    ];
    for (const property of flagged) {
      expect({ property, flagged: words(property).some((word) => PHI_WORDS.includes(word)) }).toEqual({
        property,
        flagged: true,
      });
    }
    expect(isReference('noteId')).toBe(true);
  });
});
