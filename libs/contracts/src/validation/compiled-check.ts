// The declaration of class-transformer's storage module, for the projects that compile this file from source.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../generation/class-transformer-storage.d.ts" />
import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import {
  getMetadataStorage,
  ValidationTypes,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

/**
 * The accepting path of a payload class's validation, compiled once from the class's own decorators: the same
 * constraint instances class-validator runs (so the contract stays the single source of truth), called
 * directly, without what `validateSync` repeats for every object — building an instance with class-transformer,
 * searching the metadata of every contract class for inherited rules, allocating an error per property. It
 * only answers whether a payload is valid; a payload it rejects is checked again by class-validator, whose
 * messages the caller reports.
 *
 * It covers what flat contract classes use (rules on properties, `ValidateIf`/`IsOptional`, `each`); a class
 * with anything else (nested classes, class-transformer decorators, async or group-scoped rules) gets no
 * compiled check and is always validated by class-validator. `compiled-check.spec.ts` holds both to the same
 * answers on every contract.
 */
export type CompiledCheck = (plain: Readonly<Record<string, unknown>>) => boolean;

interface Rule {
  readonly propertyName: string;
  readonly constraints: unknown[];
  readonly each: boolean;
  readonly validateIf: ((object: object, value: unknown) => boolean) | undefined;
  readonly instance: ValidatorConstraintInterface;
}

interface PropertyPlan {
  readonly name: string;
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  readonly rules: readonly Rule[];
}

type Metadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

const HANDLED = new Set<string>([ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION]);

/** class-transformer would change the object class-validator sees: no compiled check for such a class. */
function transformsOnInstantiation(cls: new () => object, properties: readonly string[]): boolean {
  const storage = defaultMetadataStorage;
  if (storage.getStrategy(cls) !== 'none') return true;
  if (storage.getExposedMetadatas(cls).length > 0 || storage.getExcludedMetadatas(cls).length > 0)
    return true;
  return properties.some(
    (property) =>
      storage.findTypeMetadata(cls, property) !== undefined ||
      storage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length > 0,
  );
}

function planOf(cls: new () => object): PropertyPlan[] | undefined {
  const storage = getMetadataStorage();
  // The same query, with the same options, as class-validator's executor for `validateSync(instance, options)`.
  const metadatas: Metadata[] = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  if (metadatas.length === 0) return undefined;
  if (metadatas.some((m) => !HANDLED.has(m.type) || typeof m.target !== 'function')) return undefined;
  const grouped = storage.groupByPropertyName(metadatas);
  const names = Object.keys(grouped);
  if (transformsOnInstantiation(cls, names)) return undefined;
  const plan: PropertyPlan[] = [];
  for (const name of names) {
    const conditions: ((object: object, value: unknown) => boolean)[] = [];
    const rules: Rule[] = [];
    for (const metadata of grouped[name] ?? []) {
      if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
        continue;
      }
      const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
      if (constraints.length === 0) return undefined;
      for (const constraint of constraints) {
        if (constraint.async) return undefined;
        rules.push({
          propertyName: metadata.propertyName,
          constraints: metadata.constraints,
          each: metadata.each,
          validateIf: metadata.validateIf,
          instance: constraint.instance,
        });
      }
    }
    plan.push({ name, conditions, rules });
  }
  return plan;
}

function holds(rule: Rule, object: Readonly<Record<string, unknown>>, value: unknown): boolean {
  if (rule.validateIf !== undefined && !rule.validateIf(object, value)) return true;
  const args: ValidationArguments = {
    targetName: '',
    property: rule.propertyName,
    object,
    value,
    constraints: rule.constraints,
  };
  if (!rule.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
    return rule.instance.validate(value, args) === true;
  }
  const items: unknown[] = value instanceof Map ? [...value.values()] : [...(value as Iterable<unknown>)];
  return items.every((item) => rule.instance.validate(item, args) === true);
}

function compile(cls: new () => object): CompiledCheck | undefined {
  const plan = planOf(cls);
  if (plan === undefined) return undefined;
  const known = new Set(plan.map((p) => p.name));
  return (plain) => {
    // forbidNonWhitelisted: a property without rules is an error.
    for (const key in plain) {
      if (Object.prototype.hasOwnProperty.call(plain, key) && !known.has(key)) return false;
    }
    for (const property of plan) {
      const value = plain[property.name];
      if (!property.conditions.every((condition) => condition(plain, value))) continue;
      for (const rule of property.rules) if (!holds(rule, plain, value)) return false;
    }
    return true;
  };
}

const compiled = new WeakMap<object, CompiledCheck | null>();

/** The compiled check of a payload class (built on first use), or `undefined` when it has none. */
export function compiledCheck(cls: new () => object): CompiledCheck | undefined {
  let check = compiled.get(cls);
  if (check === undefined) {
    check = compile(cls) ?? null;
    compiled.set(cls, check);
  }
  return check ?? undefined;
}
