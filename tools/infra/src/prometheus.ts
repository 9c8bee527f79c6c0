import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { commandExists, run } from './process-utils';
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
  if (!commandExists('apt-get') || !commandExists('dpkg')) {
    throw new Error(
      "promtool is not installed and this machine has no apt-get to fetch Debian's prometheus package",
    );
  }
  log("Fetching Debian's prometheus package into .infra/prometheus ...");
  const [deb] = downloadAndUnpack(['prometheus'], join(unpacked(), 'deb'));
  if (!existsSync(binaries.promtool)) throw new Error(`${deb} holds no usr/bin/promtool`);
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
  log("Fetching the scripts of Prometheus's web UI (Debian's libjs-* packages) ...");
  downloadAndUnpack(WEB_UI_PACKAGES, join(unpacked(), 'deb-ui'));
}

/** `apt-get download` of `packages` into `downloads`, each `dpkg -x`ed into the unpacked root; the .deb names. */
function downloadAndUnpack(packages: readonly string[], downloads: string): string[] {
  mkdirSync(downloads, { recursive: true });
  try {
    run('apt-get', ['download', ...packages], { cwd: downloads });
  } catch (first) {
    // A fresh container has no package lists yet; reading them needs root.
    if (process.getuid?.() !== 0) throw first;
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['download', ...packages], { cwd: downloads });
  }
  const files = readdirSync(downloads).filter((file) => file.endsWith('.deb'));
  const debs = packages.map((name) => {
    const deb = files.find((file) => file.startsWith(`${name}_`));
    if (deb === undefined) throw new Error(`apt-get download left no ${name}_*.deb in ${downloads}`);
    return deb;
  });
  for (const deb of debs) run('dpkg', ['-x', join(downloads, deb), unpacked()]);
  return debs;
}
