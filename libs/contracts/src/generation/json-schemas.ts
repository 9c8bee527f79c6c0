import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { type ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { type EventDefinition } from '../events/define-event';
import { allEventDefinitions } from '../registry/registry';
import { exampleEvents } from '../testing/example-events';
import { propertyDescription } from '../validation/describe';
import { UUID_PATTERN } from '../validation/formats';
import { ownedRuleNames, ruleSchemaFragment } from '../validation/rules';

export type JsonSchema = { [keyword: string]: unknown };

/** Replaced by the document-specific prefix (`#/definitions/` or `#/components/schemas/`) once schemas are built. */
const REF_PLACEHOLDER = '#/$stepwise-ref/';

const IANA_TIME_ZONE_PATTERN = '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$';

type Meta = {
  readonly constraints?: readonly unknown[];
  readonly target: unknown;
  readonly propertyName: string;
};

function constraint(meta: Meta, index = 0): unknown {
  return meta.constraints?.[index];
}

/**
 * One converter per rule the payload classes use. The library's defaults are overridden where they are wrong for
 * us (`min` forcing `type: number` on integers, UUIDs without a pattern) or missing (time zones, our own rules),
 * and a rule without a converter stops the generator: falling back to `design:type` would make the output depend
 * on whether the compiler emitted decorator metadata (tsc does, esbuild/tsx does not).
 */
function converters(): ISchemaConverters {
  const own: ISchemaConverters = {};
  for (const name of ownedRuleNames()) {
    own[name] = (meta) => ({ ...ruleSchemaFragment(name, (meta.constraints ?? []) as unknown[]) });
  }
  return {
    ...own,
    isUuid: { type: 'string', format: 'uuid', pattern: UUID_PATTERN },
    isEnum: (meta) => ({ type: 'string', enum: Object.values(constraint(meta) as Record<string, string>) }),
    isInt: { type: 'integer' },
    isNumber: { type: 'number' },
    min: (meta) => ({ minimum: constraint(meta) as number }),
    max: (meta) => ({ maximum: constraint(meta) as number }),
    isBoolean: { type: 'boolean' },
    isArray: { type: 'array' },
    arrayMinSize: (meta) => ({ type: 'array', minItems: constraint(meta) as number }),
    arrayMaxSize: (meta) => ({ type: 'array', maxItems: constraint(meta) as number }),
    arrayUnique: { type: 'array', uniqueItems: true },
    isObject: { type: 'object' },
    isTimeZone: { type: 'string', pattern: IANA_TIME_ZONE_PATTERN },
    [ValidationTypes.CONDITIONAL_VALIDATION]: {},
    [ValidationTypes.NESTED_VALIDATION]: (meta) => {
      const type = defaultMetadataStorage.findTypeMetadata(meta.target as never, meta.propertyName);
      if (!type)
        throw new Error(`${meta.propertyName}: @ValidateNested needs @Type(() => Class) for the schema`);
      const nested = type.typeFunction() as { name: string };
      return { $ref: `${REF_PLACEHOLDER}${nested.name}` };
    },
    [ValidationTypes.CUSTOM_VALIDATION]: (meta) => {
      throw new Error(
        `No JSON Schema converter for a rule on ${meta.propertyName}; add one in json-schemas.ts`,
      );
    },
  };
}

function isRecord(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Rewrites every `$ref` and drops keywords beside a `$ref` (draft-07 ignores them; `type: object` is implied). */
function rewriteRefs(schema: unknown, prefix: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => rewriteRefs(item, prefix));
  if (!isRecord(schema)) return schema;
  if (typeof schema['$ref'] === 'string') {
    return { $ref: schema['$ref'].replace(REF_PLACEHOLDER, prefix), ...descriptionOf(schema) };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) out[key] = rewriteRefs(value, prefix);
  return out;
}

function descriptionOf(schema: JsonSchema): JsonSchema {
  return typeof schema['description'] === 'string' ? { description: schema['description'] } : {};
}

function refsIn(schema: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) refsIn(item, into);
  else if (isRecord(schema)) {
    if (typeof schema['$ref'] === 'string' && schema['$ref'].startsWith(REF_PLACEHOLDER)) {
      into.add(schema['$ref'].slice(REF_PLACEHOLDER.length));
    }
    for (const value of Object.values(schema)) refsIn(value, into);
  }
  return into;
}

/** The classes reachable from the registry, by name: payload classes and the nested classes they use. */
function reachableClasses(definitions: readonly EventDefinition[]): Map<string, object> {
  const classes = new Map<string, object>();
  const visit = (cls: { name: string }): void => {
    const existing = classes.get(cls.name);
    if (existing === cls) return;
    if (existing) throw new Error(`Two contract classes are named ${cls.name}; schema names must be unique`);
    classes.set(cls.name, cls);
    for (const metadata of getMetadataStorage().getTargetValidationMetadatas(cls as never, '', true, false)) {
      if (metadata.type !== ValidationTypes.NESTED_VALIDATION) continue;
      const type = defaultMetadataStorage.findTypeMetadata(metadata.target as never, metadata.propertyName);
      if (type) visit(type.typeFunction() as { name: string });
    }
  };
  for (const definition of definitions) visit(definition.payload);
  return classes;
}

function withFixups(name: string, cls: object, schema: JsonSchema): JsonSchema {
  const properties = isRecord(schema['properties']) ? schema['properties'] : {};
  const described: JsonSchema = {};
  for (const [property, propertySchema] of Object.entries(properties)) {
    const description = propertyDescription(cls, property);
    described[property] = description ? { ...(propertySchema as JsonSchema), description } : propertySchema;
  }
  const required = Array.isArray(schema['required']) ? [...(schema['required'] as string[])].sort() : [];
  if (Object.keys(described).length === 0) throw new Error(`${name} has no validated properties`);
  return {
    type: 'object',
    title: name,
    properties: described,
    required,
    // The classes reject unknown properties (forbidNonWhitelisted); the schemas say the same.
    additionalProperties: false,
  };
}

/** Schemas of every contract class, keyed by class name, with `$ref`s still pointing at the placeholder. */
export function contractClassSchemas(definitions = allEventDefinitions()): ReadonlyMap<string, JsonSchema> {
  const classes = reachableClasses(definitions);
  const raw = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    classValidatorMetadataStorage: getMetadataStorage(),
    refPointerPrefix: REF_PLACEHOLDER,
    additionalConverters: converters(),
  }) as Record<string, JsonSchema>;
  const schemas = new Map<string, JsonSchema>();
  for (const [name, cls] of [...classes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const schema = raw[name];
    if (!schema) throw new Error(`No schema generated for ${name}`);
    schemas.set(name, withFixups(name, cls, schema));
  }
  return schemas;
}

/** Names of the classes a payload schema depends on, transitively, sorted. */
export function schemaDependencies(rootName: string, schemas: ReadonlyMap<string, JsonSchema>): string[] {
  const seen = new Set<string>();
  const pending = [rootName];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    for (const ref of refsIn(schemas.get(name), new Set())) {
      if (!seen.has(ref) && ref !== rootName) {
        seen.add(ref);
        pending.push(ref);
      }
    }
  }
  return [...seen].sort();
}

export function withRefPrefix(schema: JsonSchema, prefix: string): JsonSchema {
  return rewriteRefs(schema, prefix) as JsonSchema;
}

export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

export function schemaId(definition: EventDefinition): string {
  return `urn:stepwise:contracts:schema:${definition.ceType}`;
}

/** The stand-alone JSON Schema of one event's payload, for subscribers outside the program. */
export function eventJsonSchema(
  definition: EventDefinition,
  schemas: ReadonlyMap<string, JsonSchema>,
): JsonSchema {
  const root = schemas.get(definition.payload.name);
  if (!root) throw new Error(`No schema for ${definition.payload.name}`);
  const definitions: JsonSchema = {};
  for (const dependency of schemaDependencies(definition.payload.name, schemas)) {
    definitions[dependency] = withRefPrefix(schemas.get(dependency) ?? {}, '#/definitions/');
  }
  const example = (exampleEvents as Readonly<Record<string, unknown>>)[definition.type];
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: schemaId(definition),
    ...withRefPrefix(root, '#/definitions/'),
    title: `${definition.type} v${definition.version} payload`,
    description:
      `${definition.summary} CloudEvents type ${definition.ceType}, published by ${definition.service} on ` +
      `${definition.topic}, record key ${definition.key}, confidentiality ${definition.confidentiality}. ` +
      'Cross-field rules stated in property descriptions are enforced by @stepwise/contracts, not by this schema.',
    ...(Object.keys(definitions).length > 0 ? { definitions } : {}),
    examples: [example],
  };
}
