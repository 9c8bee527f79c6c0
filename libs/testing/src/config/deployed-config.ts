import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE_VARIABLES, type Manifest, OVERLAYS, podEnvironment, render } from '@stepwise/k8s';
import { ConfigError, type ServiceConfig, loadConfig } from '@stepwise/platform';
import { configVariables } from './env-example';

/** Rendering an overlay, for the apps' tests of their deployed configuration (apps may not import k8s). */
export { type Manifest, render as renderOverlay } from '@stepwise/k8s';

/** The workloads that run a service's image: its Deployment and its migration Job. */
export const serviceWorkloads = (service: string): string[] => [
  `Deployment/${service}`,
  `Job/${service}-migrate`,
];

/**
 * What is wrong with the environment `workload` gets from `objects` (a rendered k8s overlay), judged by the
 * service's own configuration schema: references the cluster cannot satisfy, variables the schema does not know
 * (a typo is otherwise ignored and its default silently applies), and every problem `loadConfig` reports on
 * the resolved values, Secret keys standing in with the contract's examples and mounted Secrets as real files.
 */
export function deployedConfigProblems(
  service: string,
  schema: new () => ServiceConfig,
  objects: readonly Manifest[],
  workload: string,
  optionalSecrets: boolean,
): string[] {
  const fileRoot = mkdtempSync(join(tmpdir(), 'stepwise-pod-'));
  try {
    const { env, problems } = podEnvironment(objects, workload, { fileRoot, optionalSecrets });
    const known = new Set<string>([...configVariables(schema), ...IMAGE_VARIABLES]);
    const unknown = Object.keys(env)
      .filter((name) => !known.has(name))
      .map((name) => `${workload}: ${name} is not a variable of the ${service} configuration`);
    const invalid: string[] = [];
    try {
      loadConfig(service, schema, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      invalid.push(...error.problems.map((p) => `${workload}: ${p.variable}: ${p.problems.join('; ')}`));
    }
    return [...problems, ...unknown, ...invalid];
  } finally {
    rmSync(fileRoot, { recursive: true, force: true });
  }
}

/**
 * Proves every k8s overlay starts the service: its Deployment and migration Job get every variable the
 * configuration requires (with NODE_ENV=production, as the manifests set it), each value valid, none unknown,
 * with and without the Secret keys the contract marks optional. Renders with `kubectl kustomize`.
 */
export function describeDeployedConfig(service: string, schema: new () => ServiceConfig): void {
  describe.each(OVERLAYS)(`${service} as k8s/overlays/%s deploys it`, (overlay) => {
    let objects: Manifest[];
    beforeAll(() => {
      objects = render(`overlays/${overlay}`);
    });

    it.each(serviceWorkloads(service))(
      '%s gets every variable its configuration requires, valid, and none it does not know',
      (workload) => {
        expect(deployedConfigProblems(service, schema, objects, workload, true)).toEqual([]);
        expect(deployedConfigProblems(service, schema, objects, workload, false)).toEqual([]);
      },
    );
  });
}
