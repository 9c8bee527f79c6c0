import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { promisify } from 'node:util';
import type { ServiceName } from '@stepwise/contracts';
import type { ServiceLauncher } from '../system/system';

const execFileAsync = promisify(execFile);

/** Runs podman (with the settings scripts/test-image.sh put in CONTAINERS_CONF), resolving with its output. */
export async function podman(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout } = await execFileAsync('podman', [...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`podman ${args[0] ?? ''} failed: ${failure.stderr ?? failure.message}`);
  }
}

/**
 * The services run from one image as a deployment runs them: a container per replica, SERVICE picking the
 * service, `migrate` as the migration job's command, the image's own NODE_ENV (production) and user, and the
 * Kubernetes manifests' restrictions (k8s/base/services: read-only root, writable /tmp, no capabilities). Variables
 * are named on the command line (`--env NAME`) and their values reach podman through its environment, so no
 * secret shows in a process listing. Host network: the local infrastructure listens on 127.0.0.1 only.
 */
export class ImageLauncher implements ServiceLauncher {
  private readonly containers = new Set<string>();

  constructor(
    private readonly image: string,
    /** Part of every container's name, to tell this run's containers from others on the machine. */
    private readonly run: string,
  ) {}

  async migrate(service: ServiceName, env: NodeJS.ProcessEnv): Promise<void> {
    const name = this.name(service, 'migrate');
    await podman(this.runArgs(service, env, name, ['migrate']), this.podmanEnv(env)).catch((error: Error) => {
      throw new Error(`${service} migrate (image) failed: ${error.message}`);
    });
  }

  spawn(service: ServiceName, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
    // `podman run` stays attached and proxies signals: SIGTERM reaches the service, whose exit code it returns.
    const child = spawn('podman', this.runArgs(service, env, this.name(service, 'serve'), []), {
      env: this.podmanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    return child;
  }

  /** Removes what a failed run may have left (every container is `--rm`; a killed podman leaves its own). */
  async removeContainers(): Promise<void> {
    for (const name of this.containers)
      await podman(['rm', '--force', '--ignore', name]).catch(() => undefined);
  }

  private name(service: ServiceName, role: string): string {
    const name = `stepwise-image-${this.run}-${service}-${role}`;
    this.containers.add(name);
    return name;
  }

  private runArgs(service: ServiceName, env: NodeJS.ProcessEnv, name: string, command: string[]): string[] {
    const forwarded = Object.keys(env).filter((key) => env[key] !== undefined && !NOT_FORWARDED.has(key));
    return [
      'run',
      '--rm',
      '--name',
      name,
      '--network',
      'host',
      // As the Deployments' securityContext: read-only root file system (a writable /tmp), no capabilities.
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--cap-drop',
      'all',
      '--security-opt',
      'no-new-privileges',
      '--env',
      `SERVICE=${service}`,
      ...forwarded.flatMap((key) => ['--env', key]),
      this.image,
      ...command,
    ];
  }

  private podmanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return { ...process.env, ...env, PATH: process.env['PATH'] };
  }
}

/** The host's search path is not the image's; NODE_ENV stays the image's own (production). */
const NOT_FORWARDED = new Set(['PATH', 'NODE_ENV']);
