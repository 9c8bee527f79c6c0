import { readFileSync } from 'node:fs';

/** The assignments of a dotenv-style file such as an app's `.env.example` (comments and blank lines skipped). */
export function readEnvFile(path: string): Record<string, string> {
  const entries: [string, string][] = [];
  for (const line of readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())) {
    const eq = line.indexOf('=');
    if (line === '' || line.startsWith('#') || eq < 0) continue;
    entries.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  return Object.fromEntries(entries);
}
