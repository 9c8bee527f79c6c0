import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run, waitFor } from './process-utils';
import { infraDir } from './workspace';

/** Pinned Zipkin server: the collector the tracing tests and the demo export to (Java 17, in-memory). */
export const ZIPKIN_VERSION = '3.5.1';

const jarPath = (): string => infraDir('zipkin', `zipkin-server-${ZIPKIN_VERSION}-exec.jar`);

/** Fetches Zipkin's executable jar from Maven Central once (as Kafka's jars are); later runs reuse it. */
export function ensureZipkinJar(log: (line: string) => void = () => undefined): string {
  const jar = jarPath();
  if (existsSync(jar)) return jar;
  log(`Fetching Zipkin ${ZIPKIN_VERSION} from Maven Central (once)...`);
  mkdirSync(dirname(jar), { recursive: true });
  run('mvn', [
    '-q',
    '-B',
    'dependency:copy',
    `-Dartifact=io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec`,
    `-DoutputDirectory=${dirname(jar)}`,
  ]);
  if (!existsSync(jar)) throw new Error(`Maven did not deliver ${jar}`);
  return jar;
}

export interface LocalZipkin {
  /** Base URL of its UI and API, e.g. http://127.0.0.1:9411 */
  readonly url: string;
  /** Where services send spans (`OTEL_EXPORTER_ZIPKIN_ENDPOINT`). */
  readonly spansEndpoint: string;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts a Zipkin server as a child process of the caller: bound to 127.0.0.1 only, on `port`, keeping spans
 * in memory (gone when it stops). Resolves once its health endpoint answers.
 */
export async function startZipkin(options: { port: number; logFile: string }): Promise<LocalZipkin> {
  const jar = ensureZipkinJar();
  mkdirSync(dirname(options.logFile), { recursive: true });
  const out = openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xms64m',
      '-Xmx256m',
      // A short-lived test collector: the C1 compiler starts it faster and is plenty for a few thousand spans.
      '-XX:TieredStopAtLevel=1',
      '-jar',
      jar,
      // Armeria (Zipkin 3's server) binds every interface unless told which address to use.
      `--armeria.ports[0].ip=127.0.0.1`,
      `--armeria.ports[0].port=${options.port}`,
      '--armeria.ports[0].protocols[0]=http',
      '--STORAGE_TYPE=mem',
    ],
    { stdio: ['ignore', out, out], cwd: join(infraDir('zipkin')) },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(kill);
  };
  const exitedEarly = exited.then(() => {
    throw new Error(`Zipkin exited before it answered; see ${options.logFile}`);
  });
  // Handled here too: once Zipkin is up, its later (orderly) exit must not surface as an unhandled rejection.
  exitedEarly.catch(() => undefined);
  try {
    await Promise.race([
      waitFor(
        `Zipkin on ${url} (log: ${options.logFile})`,
        () =>
          fetch(`${url}/health`).then(
            (response) => response.ok,
            () => false,
          ),
        60_000,
      ),
      exitedEarly,
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, spansEndpoint: `${url}/api/v2/spans`, stop };
}
