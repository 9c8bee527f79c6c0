import { existsSync } from 'node:fs';
import { request } from 'node:http';

/** Where the integration tests' PostgreSQL, Redis and Kafka come from. */
export type TestInfra = 'containers' | 'local';

/** The variable that chooses explicitly; unset, containers are used when an engine answers. */
export const TEST_INFRA_VARIABLE = 'STEPWISE_TEST_INFRA';

const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * The Docker-compatible socket to ask: `DOCKER_HOST` when it names a unix socket (podman's
 * `podman system service unix://…` included), else Docker's default socket when it exists. A TCP `DOCKER_HOST`
 * is not probed (undefined): traffic of the tests stays on this machine's sockets.
 */
export function containerEngineSocket(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const host = env.DOCKER_HOST;
  if (host !== undefined && host !== '')
    return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
  return existsSync(DEFAULT_DOCKER_SOCKET) ? DEFAULT_DOCKER_SOCKET : undefined;
}

/** Whether a container engine answers `GET /_ping` on `socketPath` within `timeoutMs` (no engine: false, fast). */
export function containerEngineAnswers(socketPath: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const call = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    call.on('timeout', () => call.destroy());
    call.on('error', () => resolve(false));
    call.end();
  });
}

/**
 * Chooses the infrastructure: `STEPWISE_TEST_INFRA=containers|local` decides (containers without an engine is an
 * error, not a silent fallback); unset, containers when an engine answers and the local processes otherwise.
 */
export async function chooseTestInfra(
  env: Readonly<Record<string, string | undefined>> = process.env,
  answers: (socketPath: string) => Promise<boolean> = containerEngineAnswers,
): Promise<TestInfra> {
  const chosen = env[TEST_INFRA_VARIABLE] ?? '';
  if (chosen !== '' && chosen !== 'containers' && chosen !== 'local')
    throw new Error(`${TEST_INFRA_VARIABLE} must be containers or local, not ${chosen}`);
  if (chosen === 'local') return 'local';
  const socket = containerEngineSocket(env);
  const engine = socket !== undefined && (await answers(socket));
  if (chosen === 'containers' && !engine)
    throw new Error(
      `${TEST_INFRA_VARIABLE}=containers but no container engine answers (${socket ?? 'no DOCKER_HOST unix socket'})`,
    );
  return engine ? 'containers' : 'local';
}
