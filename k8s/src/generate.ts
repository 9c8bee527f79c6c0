/**
 * Writes the generated manifests of k8s/ (services, KafkaTopics, KafkaUsers, the database cluster, production
 * autoscaling) from their declarations: libs/contracts' topics and `stack.ts`.
 *
 *   npx nx run k8s:generate           rewrite the files
 *   npx nx run k8s:generate:check     exit 1 when the committed files are out of date
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { K8S_DIR } from './render';
import { generatedDrift, renderGenerated } from './generated';

function main(args: readonly string[]): number {
  if (args.some((arg) => arg !== '--check')) {
    console.error('Usage: generate.ts [--check]');
    return 2;
  }
  const files = renderGenerated();
  if (args.includes('--check')) {
    const drift = generatedDrift(files);
    if (drift.length === 0) {
      console.log(`k8s/ generated files are up to date (${files.size} files).`);
      return 0;
    }
    console.error(`Out of date: ${drift.join(', ')}\nRun \`npx nx run k8s:generate\` and commit the result.`);
    return 1;
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(join(K8S_DIR, path)), { recursive: true });
    writeFileSync(join(K8S_DIR, path), text);
  }
  console.log(`Wrote ${files.size} files under k8s/.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
