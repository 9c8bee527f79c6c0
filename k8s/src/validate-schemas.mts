/**
 * Validates Kubernetes objects against their schemas and prints the problems as JSON (an empty list when all
 * are valid). Reads a JSON array of objects on stdin. An ES module of its own because the schema packages are
 * ESM-only and Jest runs the specs as CommonJS: `schema-validation.ts` starts it with tsx.
 *
 *  - core kinds: `kubernetes-models`; KEDA, prometheus-operator, External Secrets: their `@kubernetes-models/*`
 *    packages;
 *  - Strimzi and CloudNativePG: the operators' own CRD schemas copied into k8s/schemas (ajv);
 *  - any other apiVersion/kind is a problem: nothing goes unvalidated.
 *
 * The models check types, enums and required fields but ignore fields they do not know, and the API server
 * prunes unknown fields of custom resources silently, so a misspelt field would simply vanish. Both are made
 * strict here: every object is validated through a proxy that records which fields the validator read, and a
 * field of a visited object that was never read is unknown. CRD schemas get `additionalProperties: false`
 * where they list properties and do not preserve unknown fields.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;
interface Validatable {
  prototype: { validate(this: unknown): void };
}

const here = fileURLToPath(new URL('.', import.meta.url));
const SCHEMAS_DIR = join(here, '..', 'schemas');

/** apiVersion → the module of its models. */
const MODEL_MODULES: Record<string, string> = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
  'external-secrets.io/v1': '@kubernetes-models/external-secrets/external-secrets.io/v1',
};

/** apiVersions validated with the operators' CRD schemas of k8s/schemas. */
const CRD_GROUPS = new Set(['kafka.strimzi.io/v1', 'postgresql.cnpg.io/v1']);

/** Records, per object, which of its fields a validator looked at. */
class ReadTracker {
  private readonly reads = new Map<object, Set<string>>();
  private readonly enumerated = new Map<object, () => boolean>();
  private readonly proxies = new Map<object, object>();

  wrap(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => this.wrap(item));
    const target = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, this.wrap(inner)]));
    const read = new Set<string>();
    this.reads.set(target, read);
    let enumerated = false;
    const proxy = new Proxy(target, {
      get: (object, key, receiver): unknown => {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(object, key, receiver) as unknown;
      },
      // A map (labels, data…) is validated by enumerating its keys: every key then counts as read.
      ownKeys: (object): (string | symbol)[] => {
        enumerated = true;
        return Reflect.ownKeys(object);
      },
    });
    this.enumerated.set(target, () => enumerated);
    this.proxies.set(proxy, target);
    return proxy;
  }

  /** Fields of objects the validator visited (read some field of) but never read: unknown to the schema. */
  unknownFields(root: unknown, path = ''): string[] {
    if (root === null || typeof root !== 'object') return [];
    if (Array.isArray(root))
      return root.flatMap((item, index) => this.unknownFields(item, `${path}/${index}`));
    const target = this.proxies.get(root) ?? root;
    const read = this.reads.get(target);
    const visited = read !== undefined && read.size > 0 && this.enumerated.get(target)?.() !== true;
    const own = Object.keys(target);
    const unknown = visited ? own.filter((key) => !read.has(key)).map((key) => `${path}/${key}`) : [];
    // Children of a map or of a free-form field are looked at only if the validator descended into them.
    return [
      ...unknown,
      ...own
        .filter((key) => read?.has(key) === true || this.enumerated.get(target)?.() === true)
        .flatMap((key) => this.unknownFields((target as Json)[key], `${path}/${key}`)),
    ];
  }
}

async function modelValidate(object: Json): Promise<string[]> {
  const apiVersion = String(object['apiVersion']);
  const kind = String(object['kind']);
  const modulePath = MODEL_MODULES[apiVersion];
  if (modulePath === undefined) return [`no schema for apiVersion ${apiVersion}`];
  const models = (await import(modulePath)) as Record<string, Validatable | undefined>;
  const model = models[kind];
  if (model === undefined) return [`${apiVersion} has no kind ${kind}`];
  const tracker = new ReadTracker();
  const proxy = tracker.wrap(object);
  const problems: string[] = [];
  try {
    model.prototype.validate.call(proxy);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return [...problems, ...tracker.unknownFields(proxy).map((field) => `unknown field ${field}`)];
}

/** Makes a structural schema strict: listed properties only, unless it preserves unknown fields. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as Json;
  const result: Json = {};
  for (const [key, value] of Object.entries(source)) {
    // The keys of `properties` are field names: their values are schemas, the map itself is not one.
    result[key] =
      key === 'properties' && value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([field, inner]) => [field, strict(inner)]))
        : strict(value);
  }
  if (
    source['properties'] !== undefined &&
    source['additionalProperties'] === undefined &&
    source['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    result['additionalProperties'] = false;
  }
  return result;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const crdValidators = new Map<string, ValidateFunction>();

function crdValidate(object: Json): string[] {
  const apiVersion = String(object['apiVersion']);
  const kind = String(object['kind']);
  const key = `${apiVersion.replace('/', '_')}_${kind}`;
  let validate = crdValidators.get(key);
  if (validate === undefined) {
    let schema: unknown;
    try {
      schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, `${key}.json`), 'utf8'));
    } catch {
      return [`no schema k8s/schemas/${key}.json for ${apiVersion} ${kind}`];
    }
    validate = ajv.compile(strict(schema) as object);
    crdValidators.set(key, validate);
  }
  return validate(object)
    ? []
    : (validate.errors ?? []).map(
        (e) =>
          `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${
            e.keyword === 'additionalProperties'
              ? `: ${String((e.params as { additionalProperty?: string }).additionalProperty)}`
              : ''
          }`,
      );
}

async function validateObject(object: Json): Promise<string[]> {
  const apiVersion = String(object['apiVersion']);
  return CRD_GROUPS.has(apiVersion) ? crdValidate(object) : modelValidate(object);
}

const objects = JSON.parse(readFileSync(0, 'utf8')) as Json[];
const results: string[] = [];
for (const object of objects) {
  const name = `${String(object['kind'])}/${String((object['metadata'] as Json | undefined)?.['name'])}`;
  for (const problem of await validateObject(object)) results.push(`${name}: ${problem}`);
}
process.stdout.write(`${JSON.stringify(results)}\n`);
