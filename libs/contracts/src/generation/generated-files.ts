import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Committed generated files (the contract's AsyncAPI and schemas, the observability dashboards and rules): a
 * generator builds every file of a folder as path → content, and a test compares that with what is committed,
 * so a generated view can never silently fall behind its source.
 */

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

/** How the files committed in `dir` differ from `artifacts` (paths relative to `dir`; all empty when equal). */
export function findGeneratedFileDrift(dir: string, artifacts: ReadonlyMap<string, string>): ArtifactDrift {
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

/** Rewrites `dir` so it holds exactly the generated files. */
export function writeGeneratedFiles(dir: string, artifacts: ReadonlyMap<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, content] of artifacts) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content, 'utf8');
  }
}
