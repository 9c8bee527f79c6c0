import { join } from 'node:path';

/** Validation schemas of the operators' resources (Strimzi, CloudNativePG), copied by `import-crds.ts`. */
export const SCHEMAS_DIR = join(__dirname, '..', 'schemas');

/** `kafka.strimzi.io/v1` + `KafkaTopic` → `kafka.strimzi.io_v1_KafkaTopic.json`. */
export function schemaFileName(apiVersion: string, kind: string): string {
  return `${apiVersion.replace('/', '_')}_${kind}.json`;
}
