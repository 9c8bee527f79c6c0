/**
 * Copies the validation schema of operators' CustomResourceDefinitions into k8s/schemas/, so the manifests'
 * tests check Strimzi and CloudNativePG resources against what those operators accept, offline.
 *
 *   npx tsx k8s/src/import-crds.ts strimzi-043-Crd-kafkatopic.yaml cnpg-clusters.yaml …
 *
 * Keeps, per served version, the `openAPIV3Schema` without its descriptions (the size of the files is mostly
 * prose). Re-run it with the CRDs of the operator versions docs/deployment.md names when upgrading them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SCHEMAS_DIR, schemaFileName } from './crd-schemas';

/** Drops the `description` keyword, never a field that happens to be called so (keys of `properties`). */
function withoutDescriptions(value: unknown, fieldNames = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutDescriptions(item));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => fieldNames || key !== 'description')
      .map(([key, inner]) => [key, withoutDescriptions(inner, !fieldNames && key === 'properties')]),
  );
}

interface Crd {
  readonly kind?: string;
  readonly spec?: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly {
      readonly name: string;
      readonly served: boolean;
      readonly schema?: { readonly openAPIV3Schema: unknown };
    }[];
  };
}

for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const crd = document.toJS() as Crd;
    if (crd.kind !== 'CustomResourceDefinition' || crd.spec === undefined) continue;
    for (const version of crd.spec.versions.filter((v) => v.served && v.schema !== undefined)) {
      const name = schemaFileName(`${crd.spec.group}/${version.name}`, crd.spec.names.kind);
      writeFileSync(
        join(SCHEMAS_DIR, name),
        `${JSON.stringify(withoutDescriptions(version.schema?.openAPIV3Schema))}\n`,
      );
      console.log(`${file} → k8s/schemas/${name}`);
    }
  }
}
