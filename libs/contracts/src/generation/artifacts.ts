import { join } from 'node:path';
import { allEventDefinitions } from '../registry/registry';
import { buildAsyncApiDocument } from './asyncapi';
import { type AsyncApiDocumentView, renderEventCatalogue } from './event-catalogue';
import { contractClassSchemas, eventJsonSchema } from './json-schemas';
import {
  type ArtifactDrift,
  findGeneratedFileDrift,
  isUpToDate,
  writeGeneratedFiles,
} from './generated-files';
import { stableJson } from './stable-json';
import { buildWebhooksAsyncApiDocument } from './webhooks-asyncapi';

export { type ArtifactDrift, isUpToDate };

/** Where the generated views are committed, relative to this file (libs/contracts/generated). */
export const GENERATED_DIR = join(__dirname, '..', '..', 'generated');
export const ASYNCAPI_FILE = 'asyncapi.json';
export const SCHEMAS_DIR = 'schemas';
/** The webhook contract: what an outside subscriber receives over HTTP (AsyncAPI 3.0). */
export const WEBHOOKS_ASYNCAPI_FILE = 'webhooks.asyncapi.json';
/** The same document rendered for people. */
export const CATALOGUE_FILE = 'events.md';

/** Every generated file, by path relative to the generated folder, with its exact content. */
export function buildContractArtifacts(): ReadonlyMap<string, string> {
  const definitions = allEventDefinitions();
  const schemas = contractClassSchemas(definitions);
  const files = new Map<string, string>();
  const asyncApi = stableJson(buildAsyncApiDocument(definitions));
  files.set(ASYNCAPI_FILE, asyncApi);
  files.set(CATALOGUE_FILE, renderEventCatalogue(JSON.parse(asyncApi) as AsyncApiDocumentView));
  files.set(WEBHOOKS_ASYNCAPI_FILE, stableJson(buildWebhooksAsyncApiDocument()));
  for (const definition of definitions) {
    files.set(`${SCHEMAS_DIR}/${definition.ceType}.json`, stableJson(eventJsonSchema(definition, schemas)));
  }
  return files;
}

/** How the committed files differ from what the classes generate (all empty when up to date). */
export function findArtifactDrift(dir = GENERATED_DIR, artifacts = buildContractArtifacts()): ArtifactDrift {
  return findGeneratedFileDrift(dir, artifacts);
}

/** Rewrites the generated folder so it holds exactly the generated files. */
export function writeContractArtifacts(dir = GENERATED_DIR, artifacts = buildContractArtifacts()): void {
  writeGeneratedFiles(dir, artifacts);
}
