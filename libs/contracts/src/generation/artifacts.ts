import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { allEventDefinitions } from '../registry/registry';
import { buildAsyncApiDocument } from './asyncapi';
import { type AsyncApiDocumentView, renderEventCatalogue } from './event-catalogue';
import { contractClassSchemas, eventJsonSchema } from './json-schemas';
import { stableJson } from './stable-json';

/** Where the generated views are committed, relative to this file (libs/contracts/generated). */
export const GENERATED_DIR = join(__dirname, '..', '..', 'generated');
export const ASYNCAPI_FILE = 'asyncapi.json';
export const SCHEMAS_DIR = 'schemas';
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
  for (const definition of definitions) {
    files.set(`${SCHEMAS_DIR}/${definition.ceType}.json`, stableJson(eventJsonSchema(definition, schemas)));
  }
  return files;
}

function listFiles(dir: string, root = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name), root)
      : [relative(root, join(dir, entry.name)).split('\\').join('/')],
  );
}

export interface ArtifactDrift {
  readonly missing: readonly string[];
  readonly changed: readonly string[];
  readonly extra: readonly string[];
}

/** How the committed files differ from what the classes generate (all empty when up to date). */
export function findArtifactDrift(dir = GENERATED_DIR, artifacts = buildContractArtifacts()): ArtifactDrift {
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [path, content] of artifacts) {
    const file = join(dir, path);
    if (!existsSync(file)) missing.push(path);
    else if (readFileSync(file, 'utf8') !== content) changed.push(path);
  }
  const extra = listFiles(dir).filter((path) => !artifacts.has(path));
  return { missing: missing.sort(), changed: changed.sort(), extra: extra.sort() };
}

export function isUpToDate(drift: ArtifactDrift): boolean {
  return drift.missing.length + drift.changed.length + drift.extra.length === 0;
}

/** Rewrites the generated folder so it holds exactly the generated files. */
export function writeContractArtifacts(dir = GENERATED_DIR, artifacts = buildContractArtifacts()): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, content] of artifacts) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content, 'utf8');
  }
}
