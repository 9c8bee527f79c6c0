/**
 * Writes the console's typed API clients from the services' committed OpenAPI snapshots (apps/<service>/
 * openapi.json, which each service's "serves its API docs" test keeps in step with its routes):
 * `src/api/generated/<service>.ts`, the paths and schemas as TypeScript types for openapi-fetch.
 * `--check` writes nothing and fails when a generated file differs (the freshness test runs the same comparison).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedSources, SERVICES } from './api-sources';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const { service, file, source } of await generatedSources()) {
    const current = (() => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    })();
    if (current === source) continue;
    if (check) stale.push(service);
    else writeFileSync(file, source);
  }
  if (stale.length > 0) {
    console.error(`Stale API clients (${stale.join(', ')}): run npx nx run console:generate-api`);
    process.exit(1);
  }
  console.log(
    check ? `API clients up to date (${SERVICES.join(', ')})` : `Wrote ${join('src', 'api', 'generated')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
