import 'reflect-metadata';
import {
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import {
  CALENDAR_DATE_PATTERN,
  CODE_MAX_LENGTH,
  CODE_PATTERN,
  HCPCS_PATTERN,
  ICD10CM_PATTERN,
  INSTANT_PATTERN,
  isCalendarDate,
  isHcpcsCode,
  isIcd10CmCode,
  isInstant,
  isReferenceNumber,
  isoWeekday,
  isTimeOfDay,
  LABEL_MAX_LENGTH,
  LABEL_PATTERN,
  REFERENCE_NUMBER_PATTERN,
  TIME_OF_DAY_PATTERN,
} from './formats';

/**
 * The project's own validation rules. Each one registers, next to its check, the JSON Schema fragment that
 * describes it, so the generated schemas cannot forget a rule the classes enforce. Cross-field rules have no
 * JSON Schema equivalent: their fragment is empty and the property's description says what is checked.
 */
export type SchemaFragment = Readonly<Record<string, unknown>>;

const schemaFragments = new Map<string, (constraints: readonly unknown[]) => SchemaFragment>();

/** The JSON Schema fragment of one of this module's rules, or `undefined` for a rule it does not own. */
export function ruleSchemaFragment(
  name: string,
  constraints: readonly unknown[],
): SchemaFragment | undefined {
  return schemaFragments.get(name)?.(constraints);
}

export function ownedRuleNames(): readonly string[] {
  return [...schemaFragments.keys()].sort();
}

interface RuleSpec {
  readonly name: string;
  readonly constraints?: readonly unknown[];
  readonly validate: (value: unknown, args: ValidationArguments) => boolean;
  readonly message: (args: ValidationArguments) => string;
}

function defineRule(
  name: string,
  schema: (constraints: readonly unknown[]) => SchemaFragment,
): (spec: Omit<RuleSpec, 'name'>, options?: ValidationOptions) => PropertyDecorator {
  if (schemaFragments.has(name)) throw new Error(`Validation rule ${name} is defined twice`);
  schemaFragments.set(name, schema);
  return (spec, options) => (target, propertyKey) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyKey),
      constraints: [...(spec.constraints ?? [])],
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => spec.validate(value, args),
        defaultMessage: (args: ValidationArguments) => spec.message(args),
      },
    });
  };
}

function each(args: ValidationArguments): string {
  // class-validator's built-in messages say "each value in x" for `each` rules; keep ours consistent.
  return Array.isArray(args.object[args.property as keyof object]) ? 'each value in ' : '';
}

function sibling(args: ValidationArguments, property: string): unknown {
  return (args.object as Record<string, unknown>)[property];
}

const instantRule = defineRule('isInstant', () => ({
  type: 'string',
  format: 'date-time',
  pattern: INSTANT_PATTERN,
}));
/** An RFC 3339 instant with an explicit offset, e.g. `2025-03-03T14:00:00.000Z`. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return instantRule(
    {
      validate: (value) => isInstant(value),
      message: (args) => `${each(args)}${args.property} must be an RFC 3339 date-time with an offset`,
    },
    options,
  );
}

const calendarDateRule = defineRule('isCalendarDate', () => ({
  type: 'string',
  format: 'date',
  pattern: CALENDAR_DATE_PATTERN,
}));
/** A real calendar date `YYYY-MM-DD` (`2025-02-29` is rejected). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return calendarDateRule(
    {
      validate: (value) => isCalendarDate(value),
      message: (args) => `${each(args)}${args.property} must be a real calendar date formatted YYYY-MM-DD`,
    },
    options,
  );
}

const weekStartRule = defineRule('isWeekStart', () => ({
  type: 'string',
  format: 'date',
  pattern: CALENDAR_DATE_PATTERN,
}));
/** The Monday that starts an ISO week (weeks are Monday to Sunday in the site's time zone). */
export function IsWeekStart(options?: ValidationOptions): PropertyDecorator {
  return weekStartRule(
    {
      validate: (value) => isCalendarDate(value) && isoWeekday(value) === 1,
      message: (args) => `${args.property} must be a Monday formatted YYYY-MM-DD (an ISO week start)`,
    },
    options,
  );
}

const timeOfDayRule = defineRule('isTimeOfDay', () => ({ type: 'string', pattern: TIME_OF_DAY_PATTERN }));
/** A wall-clock time `HH:mm` (24-hour) in the site's time zone. */
export function IsTimeOfDay(options?: ValidationOptions): PropertyDecorator {
  return timeOfDayRule(
    {
      validate: (value) => isTimeOfDay(value),
      message: (args) => `${args.property} must be a time of day formatted HH:mm`,
    },
    options,
  );
}

const codeRule = defineRule('isCode', () => ({
  type: 'string',
  pattern: CODE_PATTERN,
  minLength: 1,
  maxLength: CODE_MAX_LENGTH,
}));
const CODE = new RegExp(CODE_PATTERN);
/** A short machine code (a version or template identifier): lower case, no spaces, never free text. */
export function IsCode(options?: ValidationOptions): PropertyDecorator {
  return codeRule(
    {
      validate: (value) => typeof value === 'string' && value.length <= CODE_MAX_LENGTH && CODE.test(value),
      message: (args) =>
        `${args.property} must be a code of at most ${CODE_MAX_LENGTH} characters matching ${CODE_PATTERN}`,
    },
    options,
  );
}

const icd10CmRule = defineRule('isIcd10CmCode', () => ({ type: 'string', pattern: ICD10CM_PATTERN }));
/** An ICD-10-CM diagnosis code, with its dot (F10.20); upper case only, as claims carry it. */
export function IsIcd10CmCode(options?: ValidationOptions): PropertyDecorator {
  return icd10CmRule(
    {
      validate: (value) => isIcd10CmCode(value),
      message: (args) =>
        `${each(args)}${args.property} must be an ICD-10-CM code such as F10.20 (letter, two characters, optional dot and 1 to 4 more, upper case)`,
    },
    options,
  );
}

const hcpcsRule = defineRule('isHcpcsCode', () => ({ type: 'string', pattern: HCPCS_PATTERN }));
/** A HCPCS Level II procedure code such as H0015. */
export function IsHcpcsCode(options?: ValidationOptions): PropertyDecorator {
  return hcpcsRule(
    {
      validate: (value) => isHcpcsCode(value),
      message: (args) => `${args.property} must be a HCPCS code such as H0015 (a letter and four digits)`,
    },
    options,
  );
}

const referenceNumberRule = defineRule('isReferenceNumber', () => ({
  type: 'string',
  pattern: REFERENCE_NUMBER_PATTERN,
}));
/** A number another organisation issued, such as a payer's authorization number: letters, digits, dashes. */
export function IsReferenceNumber(options?: ValidationOptions): PropertyDecorator {
  return referenceNumberRule(
    {
      validate: (value) => isReferenceNumber(value),
      message: (args) => `${args.property} must be 1 to 64 letters, digits and dashes`,
    },
    options,
  );
}

const labelRule = defineRule('isLabel', () => ({
  type: 'string',
  pattern: LABEL_PATTERN,
  minLength: 1,
  maxLength: LABEL_MAX_LENGTH,
}));
const LABEL = new RegExp(LABEL_PATTERN);
/** A display label of reference data (never of a person): one line, trimmed, bounded. */
export function IsLabel(options?: ValidationOptions): PropertyDecorator {
  return labelRule(
    {
      validate: (value) => typeof value === 'string' && value.length <= LABEL_MAX_LENGTH && LABEL.test(value),
      message: (args) =>
        `${args.property} must be a single-line label of 1 to ${LABEL_MAX_LENGTH} characters without outer spaces`,
    },
    options,
  );
}

/**
 * Optional means "may be absent", not "may be null": `null` is rejected by the property's other rules, which keeps
 * the classes and the JSON Schemas (where the property is simply not required) in agreement.
 */
export function Optional(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}

const laterThanRule = defineRule('isLaterThan', () => ({}));
/** An instant or date strictly after a sibling property's (both compared as instants/dates of the same kind). */
export function IsLaterThan(property: string, options?: ValidationOptions): PropertyDecorator {
  return laterThanRule(
    {
      constraints: [property],
      validate: (value, args) => {
        const other = sibling(args, property);
        // Each property's own format rule reports malformed values; this rule only orders well-formed ones.
        if (typeof value !== 'string' || typeof other !== 'string') return true;
        const later = Date.parse(value);
        const earlier = Date.parse(other);
        return Number.isNaN(later) || Number.isNaN(earlier) || later > earlier;
      },
      message: (args) => `${args.property} must be later than ${property}`,
    },
    options,
  );
}

const atMostRule = defineRule('isAtMostProperty', () => ({}));
/** A number no greater than a sibling number (e.g. goals met out of goals total). */
export function IsAtMostProperty(property: string, options?: ValidationOptions): PropertyDecorator {
  return atMostRule(
    {
      constraints: [property],
      validate: (value, args) => {
        const other = sibling(args, property);
        return typeof value !== 'number' || typeof other !== 'number' || value <= other;
      },
      message: (args) => `${args.property} must not be greater than ${property}`,
    },
    options,
  );
}

const lessThanRule = defineRule('isLessThanProperty', () => ({}));
/** A number strictly less than a sibling number (a shortfall is only a shortfall when below the minimum). */
export function IsLessThanProperty(property: string, options?: ValidationOptions): PropertyDecorator {
  return lessThanRule(
    {
      constraints: [property],
      validate: (value, args) => {
        const other = sibling(args, property);
        return typeof value !== 'number' || typeof other !== 'number' || value < other;
      },
      message: (args) => `${args.property} must be less than ${property}`,
    },
    options,
  );
}

const differentFromRule = defineRule('isDifferentFrom', () => ({}));
/** A value that must differ from a sibling's (a level-of-care change must change the level). */
export function IsDifferentFrom(property: string, options?: ValidationOptions): PropertyDecorator {
  return differentFromRule(
    {
      constraints: [property],
      validate: (value, args) => value !== sibling(args, property),
      message: (args) => `${args.property} must differ from ${property}`,
    },
    options,
  );
}

const allowedWhenRule = defineRule('isAllowedOnlyWhen', () => ({}));
/** A property that may only be present when a sibling has a given value. */
export function IsAllowedOnlyWhen(
  property: string,
  expected: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return allowedWhenRule(
    {
      constraints: [property, expected],
      validate: (value, args) => value === undefined || sibling(args, property) === expected,
      message: (args) => `${args.property} is only allowed when ${property} is ${expected}`,
    },
    options,
  );
}

/** A named rule over a property and its siblings, for checks that do not fit a generic shape. */
export interface ObjectRule {
  readonly name: string;
  readonly test: (value: unknown, object: Readonly<Record<string, unknown>>) => boolean;
  readonly message: (property: string) => string;
}

/**
 * Declares a cross-field rule once, so its name is the constraint consumers see in a violation (e.g.
 * `isBandOfInstrument`) and the generator knows it has no JSON Schema equivalent.
 */
export function defineObjectRule(rule: ObjectRule): (options?: ValidationOptions) => PropertyDecorator {
  const decorator = defineRule(rule.name, () => ({}));
  return (options) =>
    decorator(
      {
        validate: (value, args) => rule.test(value, args.object as Record<string, unknown>),
        message: (args) => rule.message(args.property),
      },
      options,
    );
}
