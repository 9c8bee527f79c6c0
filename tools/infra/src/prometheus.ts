import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unpackDebianPackages } from './debian-package';
import { commandExists } from './process-utils';
import { infraDir } from './workspace';

export interface PrometheusBinaries {
  readonly prometheus: string;
  readonly promtool: string;
  /** The web UI's templates and assets of the unpacked package (`--web.local-assets`); absent when installed. */
  readonly webAssets?: string;
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
    webAssets: join(unpacked(), 'usr', 'share', 'prometheus', 'web'),
  };
  if (existsSync(binaries.promtool) && existsSync(binaries.prometheus)) return binaries;
  unpackDebianPackages(unpacked(), ['prometheus'], join('usr', 'bin', 'promtool'), log);
  return binaries;
}

/**
 * The scripts and fonts the packaged web UI links to (`static/jquery → ../../../javascript/jquery`, …): Debian
 * ships them as `libjs-*` packages, unpacked next to the binary so those relative links resolve. Only the
 * demo's Prometheus, which a person opens in a browser, needs them; the API works without.
 */
const WEB_UI_PACKAGES = [
  'libjs-bootstrap4',
  'libjs-d3',
  'libjs-eonasdan-bootstrap-datetimepicker',
  'libjs-jquery',
  'libjs-jquery-hotkeys',
  'libjs-moment',
  'libjs-moment-timezone',
  'libjs-mustache',
  'libjs-popper.js',
  'libjs-rickshaw',
  'fonts-glyphicons-halflings',
];

/** Makes the unpacked package's web UI complete (a no-op for an installed Prometheus); throws when it cannot. */
export function ensurePrometheusWebUi(log: (line: string) => void = () => undefined): void {
  const { webAssets } = ensurePrometheusBinaries(log);
  if (webAssets === undefined || existsSync(join(unpacked(), 'usr', 'share', 'javascript', 'jquery'))) return;
  unpackDebianPackages(unpacked(), WEB_UI_PACKAGES, join('usr', 'share', 'javascript', 'jquery'), log);
}
