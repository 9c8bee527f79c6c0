// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedSources } from './api-sources';

describe('generated API clients', () => {
  it("match the services' committed OpenAPI snapshots (run `npx nx run console:generate-api` when not)", async () => {
    for (const { service, file, source } of await generatedSources()) {
      expect({ service, source: readFileSync(file, 'utf8') }).toEqual({ service, source });
    }
  });
});
