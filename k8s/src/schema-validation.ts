import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type Manifest } from './manifests';

/**
 * The schema problems of `objects` (empty when every object is valid), from `validate-schemas.mts` run by tsx:
 * the schema packages are ES modules, which Jest's CommonJS runtime cannot load.
 */
export function schemaProblems(objects: readonly Manifest[]): string[] {
  const result = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), join(__dirname, 'validate-schemas.mts')],
    { input: JSON.stringify(objects), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(`The schema validator failed (exit ${String(result.status)}):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as string[];
}
