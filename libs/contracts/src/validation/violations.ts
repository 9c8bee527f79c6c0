import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { compiledCheck } from './compiled-check';

/** One broken rule: which property (a path such as `evidence.dimensionRatings[2]`), which rule, and why. */
export interface PayloadViolation {
  readonly path: string;
  readonly constraint: string;
  readonly message: string;
}

/**
 * Unknown properties are rejected, not stripped: a producer sending a field the contract does not know is a bug
 * to surface, and silently dropping it would hide a possible PHI leak.
 */
export const PAYLOAD_VALIDATOR_OPTIONS: Readonly<ValidatorOptions> = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

function joinPath(parent: string, property: string): string {
  if (parent === '') return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}

function flatten(errors: readonly ValidationError[], parent: string, into: PayloadViolation[]): void {
  for (const error of errors) {
    const path = joinPath(parent, error.property);
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      into.push({ path, constraint, message });
    }
    flatten(error.children ?? [], path, into);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  // Compared structurally rather than with `=== Object.prototype`: objects from another realm (a worker, a vm
  // context, structuredClone under Jest) have their own Object.prototype.
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

export interface PayloadCheck<P> {
  /** The validated data itself (plain JSON shape, no class instance), typed; `undefined` when invalid. */
  readonly value: P | undefined;
  readonly violations: readonly PayloadViolation[];
}

/**
 * Validates untrusted data (parsed JSON or a producer's object) against a payload class. Returns the data when
 * valid (as plain data, exactly what is or will be on the wire), otherwise every violation, sorted so messages
 * are stable.
 */
export function checkPayload<P extends object>(cls: new () => P, data: unknown): PayloadCheck<P> {
  // A class instance is accepted as its own plain copy, so producers may pass either.
  const plain: unknown = data instanceof cls ? { ...data } : data;
  if (!isPlainObject(plain)) {
    return {
      value: undefined,
      violations: [{ path: '', constraint: 'isObject', message: 'payload must be a JSON object' }],
    };
  }
  // The common case, a valid payload, through the class's compiled check; a rejected one (or a class without a
  // compiled check) through class-validator, for its messages.
  if (compiledCheck(cls)?.(plain) === true) return { value: plain as P, violations: [] };
  const violations = classValidatorViolations(cls, plain);
  return violations.length === 0 ? { value: plain as P, violations } : { value: undefined, violations };
}

/** Every violation class-validator finds in a plain object, sorted; the reference the compiled check follows. */
export function classValidatorViolations(cls: new () => object, plain: object): PayloadViolation[] {
  const instance = plainToInstance(cls, plain);
  const violations: PayloadViolation[] = [];
  flatten(validateSync(instance, PAYLOAD_VALIDATOR_OPTIONS), '', violations);
  violations.sort((a, b) => a.path.localeCompare(b.path) || a.constraint.localeCompare(b.constraint));
  return violations;
}
