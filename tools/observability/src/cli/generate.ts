/**
 * Generates the Grafana dashboards and the Prometheus rule file from tools/observability.
 *
 *   npx nx run observability:generate            rewrite observability/grafana/dashboards and prometheus/rules
 *   npx nx run observability:generate:check      exit 1 when the committed files are out of date
 *
 * `--docs-url=<url>` points the alerts' runbook links at another copy of docs/ (a fork's); DOCS_URL otherwise.
 */
import {
  buildObservabilityArtifacts,
  findObservabilityDrift,
  writeObservabilityArtifacts,
} from '../artifacts';

function main(args: readonly string[]): number {
  const unknown = args.filter((arg) => arg !== '--check' && !arg.startsWith('--docs-url='));
  if (unknown.length > 0) {
    console.error(
      `Unknown argument(s): ${unknown.join(' ')}\nUsage: generate.ts [--check] [--docs-url=<url>]`,
    );
    return 2;
  }
  const docsUrl = args.find((arg) => arg.startsWith('--docs-url='))?.slice('--docs-url='.length);
  const artifacts = buildObservabilityArtifacts(docsUrl);
  if (args.includes('--check')) {
    const drifts = findObservabilityDrift(undefined, artifacts);
    if (drifts.size === 0) {
      console.log('observability/ is up to date.');
      return 0;
    }
    const lines = [...drifts].flatMap(([dir, drift]) => [
      ...drift.missing.map((path) => `  missing  ${dir}/${path}`),
      ...drift.changed.map((path) => `  changed  ${dir}/${path}`),
      ...drift.extra.map((path) => `  extra    ${dir}/${path}`),
    ]);
    console.error(
      `The generated observability files are out of date:\n${lines.join('\n')}\n` +
        'Run `npx nx run observability:generate` and commit the result.',
    );
    return 1;
  }
  const count = writeObservabilityArtifacts(undefined, artifacts);
  console.log(`Wrote ${count} files under observability/.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
