import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root: the nearest folder above this file holding nx.json. */
export function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No nx.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** Git-ignored folder for everything the infrastructure tool downloads, writes or records. */
export function infraDir(...parts: string[]): string {
  return join(workspaceRoot(), '.infra', ...parts);
}
