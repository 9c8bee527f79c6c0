import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { commandLine, isAlive, sleep } from './process-utils';
import { ensurePrometheusBinaries, ensurePrometheusWebUi } from './prometheus';
import { infraDir, workspaceRoot } from './workspace';

/** One service's metrics endpoint, e.g. `{ service: 'intake', url: 'http://127.0.0.1:3001' }`. */
export interface ScrapeTarget {
  readonly service: string;
  readonly url: string;
}

export interface PrometheusServerOptions {
  readonly targets: readonly ScrapeTarget[];
  readonly port: number;
  /** Holds the generated config, the log and the TSDB; created, and emptied first. */
  readonly dataDir: string;
  /** Scrape and rule evaluation interval (a test wants 1 s; the demo 5 s). */
  readonly intervalSeconds: number;
  /** Rule files loaded (absolute paths); the project's recording and alert rules when absent. */
  readonly ruleFiles?: readonly string[];
  /** Deletes `dataDir` on stop (a test's temporary folder). */
  readonly removeDataDirOnStop?: boolean;
  /** Completes the packaged web UI first (its scripts), for a person to open; the API needs none of it. */
  readonly webUi?: boolean;
  /** Recorded while it runs, so `npm run infra:status` can report it (the demo's Prometheus). */
  readonly record?: boolean;
  readonly log?: (line: string) => void;
}

export interface RunningPrometheus {
  readonly url: string;
  readonly pid: number;
  readonly configFile: string;
  /** SIGTERM, waits for the exit (SIGKILL after 15 s), removes the record and the data folder if asked. */
  stop(): Promise<void>;
}

/** The project's generated rule files (`observability/prometheus/rules/`), as absolute paths. */
export function projectRuleFiles(): string[] {
  const dir = join(workspaceRoot(), 'observability', 'prometheus', 'rules');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .map((file) => join(dir, file));
}

/**
 * The scrape configuration, the same shape as `observability/prometheus/prometheus.yml` (compose): one job
 * `stepwise`, a `service` label per target, `honor_labels` so each series keeps prom-client's own `service`.
 */
export function prometheusConfig(
  targets: readonly ScrapeTarget[],
  intervalSeconds: number,
  ruleFiles: readonly string[],
): string {
  const interval = `${intervalSeconds}s`;
  return stringify({
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: [...ruleFiles],
    scrape_configs: [
      {
        job_name: 'stepwise',
        metrics_path: '/metrics',
        honor_labels: true,
        static_configs: targets.map((target) => ({
          targets: [new URL(target.url).host],
          labels: { service: target.service },
        })),
      },
    ],
  });
}

/** Where a recorded (demo) Prometheus is described while it runs. */
const recordFile = (): string => infraDir('prometheus', 'running.json');

interface PrometheusRecord {
  readonly pid: number;
  readonly url: string;
  readonly configFile: string;
}

/**
 * Starts Prometheus (Debian's binary through `ensurePrometheusBinaries`, which throws naming what failed when it
 * cannot be obtained) on 127.0.0.1:`port` scraping `targets` and evaluating the rules; resolves once
 * `/-/ready` answers. It is a child of this process: whoever starts it stops it.
 */
export async function startPrometheus(options: PrometheusServerOptions): Promise<RunningPrometheus> {
  const { prometheus, webAssets } = ensurePrometheusBinaries(options.log);
  if (options.webUi) {
    try {
      ensurePrometheusWebUi(options.log);
    } catch (error) {
      options.log?.(`Prometheus's web UI will lack its scripts (the API works): ${String(error)}`);
    }
  }
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(join(options.dataDir, 'tsdb'), { recursive: true });
  const configFile = join(options.dataDir, 'prometheus.yml');
  writeFileSync(
    configFile,
    prometheusConfig(options.targets, options.intervalSeconds, options.ruleFiles ?? projectRuleFiles()),
  );
  const logFile = join(options.dataDir, 'prometheus.log');
  const out = openSync(logFile, 'a');
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(
    prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.dataDir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--storage.tsdb.retention.time=1d',
      '--log.level=warn',
      // Debian's binary looks for its UI under /usr/share/prometheus; unpacked, it is next to the binary.
      ...(webAssets === undefined ? [] : [`--web.local-assets=${webAssets}`]),
    ],
    { stdio: ['ignore', out, out] },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${prometheus}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    await terminate(child, exited);
    if (options.record) rmSync(recordFile(), { force: true });
    if (options.removeDataDirOnStop) rmSync(options.dataDir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  if (options.record) {
    const record: PrometheusRecord = { pid, url, configFile };
    mkdirSync(infraDir('prometheus'), { recursive: true });
    writeFileSync(recordFile(), JSON.stringify(record));
  }
  options.log?.(`Prometheus (pid ${pid}) on ${url}, log ${logFile}`);
  return { url, pid, configFile, stop };
}

/** The recorded (demo) Prometheus, if it still runs: its URL and PID. */
export function recordedPrometheus(): PrometheusRecord | undefined {
  if (!existsSync(recordFile())) return undefined;
  const record = JSON.parse(readFileSync(recordFile(), 'utf8')) as PrometheusRecord;
  if (isAlive(record.pid) && commandLine(record.pid).includes(record.configFile)) return record;
  rmSync(recordFile(), { force: true });
  return undefined;
}

/** True when Prometheus at `url` says it is ready. */
export function prometheusAnswers(url: string): Promise<boolean> {
  return fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.status === 200,
    () => false,
  );
}

/** Polls `/-/ready`; fails at once, with the end of its log, when Prometheus exits (a bad config, a taken port). */
async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Prometheus exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(logFile)}`,
      );
    }
    if (await prometheusAnswers(url)) return;
    await sleep(200);
  }
  throw new Error(`Prometheus was not ready on ${url} within 30 s:\n${tail(logFile)}`);
}

function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
  child.kill('SIGTERM');
  return exited.finally(() => clearTimeout(kill));
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
