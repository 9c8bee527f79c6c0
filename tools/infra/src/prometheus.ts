import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { commandExists, run } from './process-utils';
import { infraDir } from './workspace';

export interface PrometheusBinaries {
  readonly prometheus: string;
  readonly promtool: string;
}

/** Where Debian's package is unpacked: git-ignored, and nothing is installed system-wide. */
const unpacked = (): string => infraDir('prometheus');

/**
 * Prometheus and promtool (Debian's `prometheus` 2.42), for the rule tests and a local Prometheus: the ones on
 * the PATH when present, else Debian's package downloaded once and unpacked into `.infra/prometheus/`
 * (`apt-get download` + `dpkg -x`, which needs no root and starts no system service). Throws, naming what
 * failed, when neither works: a rule test must fail rather than be skipped for want of its tool.
 */
export function ensurePrometheusBinaries(log: (line: string) => void = () => undefined): PrometheusBinaries {
  if (commandExists('promtool') && commandExists('prometheus')) {
    return { prometheus: 'prometheus', promtool: 'promtool' };
  }
  const binaries = {
    prometheus: join(unpacked(), 'usr', 'bin', 'prometheus'),
    promtool: join(unpacked(), 'usr', 'bin', 'promtool'),
  };
  if (existsSync(binaries.promtool) && existsSync(binaries.prometheus)) return binaries;
  if (!commandExists('apt-get') || !commandExists('dpkg')) {
    throw new Error(
      "promtool is not installed and this machine has no apt-get to fetch Debian's prometheus package",
    );
  }
  const downloads = join(unpacked(), 'deb');
  mkdirSync(downloads, { recursive: true });
  log("Fetching Debian's prometheus package into .infra/prometheus ...");
  try {
    run('apt-get', ['download', 'prometheus'], { cwd: downloads });
  } catch (first) {
    // A fresh container has no package lists yet; reading them needs root.
    if (process.getuid?.() !== 0) throw first;
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['download', 'prometheus'], { cwd: downloads });
  }
  const deb = readdirSync(downloads).find((file) => file.startsWith('prometheus_') && file.endsWith('.deb'));
  if (deb === undefined) throw new Error(`apt-get download left no prometheus_*.deb in ${downloads}`);
  run('dpkg', ['-x', join(downloads, deb), unpacked()]);
  if (!existsSync(binaries.promtool)) throw new Error(`${deb} holds no usr/bin/promtool`);
  return binaries;
}
