import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { clockOverrideEnv, workspaceRoot } from '@stepwise/infra';

/** A free TCP port on loopback, for a service under test (kept with the infrastructure tool, which uses it too). */
export { freePort } from '@stepwise/infra';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A service run as the real built artifact (`dist/apps/<service>/main.js`) in its own process, the way
 * Kubernetes runs it: configured only through the environment, observed only through HTTP and its output.
 */
export class ServiceProcess {
  private output = '';
  readonly exited: Promise<Exit>;

  private constructor(
    readonly service: string,
    private readonly child: ChildProcess,
    readonly port: number | undefined,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static main(service: string): string {
    const main = join(workspaceRoot(), 'dist/apps', service, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build the app first (nx build ${service})`);
    return main;
  }

  /**
   * Starts `main.js [args]` with exactly `env` (plus PATH, and a libfaketime clock the runner has), so no other
   * variable leaks in from the test runner.
   */
  static start(service: string, env: Record<string, string>, args: string[] = []): ServiceProcess {
    const child = spawn(process.execPath, ['--enable-source-maps', ServiceProcess.main(service), ...args], {
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', ...clockOverrideEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(service, child, env['PORT'] === undefined ? undefined : Number(env['PORT']));
  }

  /** Runs a one-shot command (such as `migrate`) to completion. */
  static async run(
    service: string,
    env: Record<string, string>,
    args: string[],
  ): Promise<Exit & { output: string }> {
    const process = ServiceProcess.start(service, env, args);
    const exit = await process.exited;
    return { ...exit, output: process.logs };
  }

  get logs(): string {
    return this.output;
  }

  get url(): string {
    if (this.port === undefined) throw new Error('The process was started without PORT');
    return `http://127.0.0.1:${this.port}`;
  }

  async get(path: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM and wait for exit; SIGKILL if it does not end within `graceMs`. */
  async stop(graceMs = 15_000): Promise<Exit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/**
 * A port that accepts connections and drops them at once: a dependency that is "there but never answers".
 * Unlike a port from `freePort`, it stays taken until `close`, so no other process of the test can get it.
 */
export async function droppingPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
