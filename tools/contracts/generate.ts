/**
 * Generates the AsyncAPI document and the per-event JSON Schemas from the payload classes of libs/contracts.
 *
 *   npx tsx tools/contracts/generate.ts          rewrite libs/contracts/generated
 *   npx tsx tools/contracts/generate.ts --check  exit 1 when the committed files are out of date
 */
import { join } from 'node:path';
import { register } from 'tsx/cjs/api';
import type * as Artifacts from '../../libs/contracts/src/generation/artifacts';

// tsx compiles with the tsconfig of the working directory, and the payload classes need legacy decorators
// (experimentalDecorators). Loading the generator through a loader bound to this folder's tsconfig makes the
// script behave the same whatever directory it is started from.
process.env['TSX_TSCONFIG_PATH'] = join(__dirname, 'tsconfig.json');
const loader = register({ namespace: 'stepwise-contracts-generate' });
const artifacts = loader.require(
  '../../libs/contracts/src/generation/artifacts.ts',
  __filename,
) as typeof Artifacts;

function main(args: readonly string[]): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`Unknown argument(s): ${unknown.join(' ')}\nUsage: generate.ts [--check]`);
    return 2;
  }
  const generated = artifacts.buildContractArtifacts();
  const relativeDir = 'libs/contracts/generated';
  if (args.includes('--check')) {
    const drift = artifacts.findArtifactDrift(artifacts.GENERATED_DIR, generated);
    if (artifacts.isUpToDate(drift)) {
      console.log(`${relativeDir} is up to date (${generated.size} files).`);
      return 0;
    }
    const lines = [
      ...drift.missing.map((path) => `  missing  ${path}`),
      ...drift.changed.map((path) => `  changed  ${path}`),
      ...drift.extra.map((path) => `  extra    ${path}`),
    ];
    console.error(
      `${relativeDir} is out of date with the payload classes:\n${lines.join('\n')}\n` +
        'Run `npx tsx tools/contracts/generate.ts` (or `npx nx run contracts:generate`) and commit the result.',
    );
    return 1;
  }
  artifacts.writeContractArtifacts(artifacts.GENERATED_DIR, generated);
  console.log(`Wrote ${generated.size} files to ${relativeDir}.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
