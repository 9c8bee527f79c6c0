import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { commandExists, run } from './process-utils';

/**
 * Debian's packages downloaded once and unpacked into `dir` (`apt-get download` + `dpkg -x`): no root needed
 * once the package lists exist, nothing installed system-wide and no system service started. `packages` are
 * the program's own package and any libraries it needs that the machine lacks. Returns `dir`; `marker` (a path
 * inside it) tells whether the work was already done.
 */
export function unpackDebianPackages(
  dir: string,
  packages: readonly string[],
  marker: string,
  log: (line: string) => void = () => undefined,
): string {
  if (existsSync(join(dir, marker))) return dir;
  if (!commandExists('apt-get') || !commandExists('dpkg')) {
    throw new Error(`This machine has no apt-get to fetch Debian's ${packages.join(', ')}`);
  }
  const downloads = join(dir, 'deb');
  mkdirSync(downloads, { recursive: true });
  log(`Fetching Debian's ${packages.join(', ')} into ${dir} ...`);
  try {
    run('apt-get', ['download', ...packages], { cwd: downloads });
  } catch (first) {
    // A fresh container has no package lists yet; reading them needs root.
    if (process.getuid?.() !== 0) throw first;
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['download', ...packages], { cwd: downloads });
  }
  for (const name of packages) {
    const deb = readdirSync(downloads).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'));
    if (deb === undefined) throw new Error(`apt-get download left no ${name}_*.deb in ${downloads}`);
    run('dpkg', ['-x', join(downloads, deb), dir]);
  }
  if (!existsSync(join(dir, marker))) throw new Error(`${packages.join(', ')} hold no ${marker}`);
  return dir;
}
