import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unpackDebianPackages } from './debian-package';
import { commandExists } from './process-utils';
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
  unpackDebianPackages(unpacked(), ['prometheus'], join('usr', 'bin', 'promtool'), log);
  return binaries;
}
