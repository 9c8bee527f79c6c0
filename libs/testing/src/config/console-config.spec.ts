import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE_VARIABLES, type Manifest, OVERLAYS, podEnvironment, render } from '@stepwise/k8s';
import {
  composeConfigProblems,
  composeServices,
  consoleComposeApp,
  describeComposeConfig,
} from './compose-config';

// The console's check runs its own code in a process (tsx): seconds each, more under load.
jest.setTimeout(180_000);

describe('the staff console in docker-compose.yml', () => {
  describeComposeConfig('console', consoleComposeApp());

  it('reports what would keep it from starting: a missing service address, a port, health check or order', () => {
    const services = composeServices();
    const definition = services['console'] ?? {};
    const { INTAKE_URL: _dropped, ...environment } = definition.environment ?? {};
    const broken = {
      ...services,
      console: {
        ...definition,
        environment: { ...environment, CONSOLE_PORT: 4174, CONSOLE_THEME: 'dark' },
        healthcheck: { test: ['CMD', 'true'] },
        depends_on: {},
      },
    };
    expect(composeConfigProblems('console', consoleComposeApp(), broken)).toEqual([
      'INTAKE_URL: is required',
      'its health check must ask /healthz',
      'must wait for intake (service_healthy)',
      'must wait for scheduling (service_healthy)',
      'must wait for sessions (service_healthy)',
      'must wait for notifications (service_healthy)',
    ]);
    expect(
      composeConfigProblems('console', consoleComposeApp(), {
        ...broken,
        console: {
          ...broken.console,
          environment: { ...broken.console.environment, INTAKE_URL: 'http://127.0.0.1:3001' },
        },
      }).slice(0, 3),
    ).toEqual([
      'CONSOLE_THEME is not a variable of the console configuration',
      "ports must be exactly ['127.0.0.1:4174:4174'] (loopback only, the configured port)",
      'INTAKE_URL (http://127.0.0.1:3001) does not name a compose service',
    ]);
  });
});

describe.each(OVERLAYS)('the staff console as k8s/overlays/%s deploys it', (overlay) => {
  let objects: Manifest[];
  beforeAll(() => {
    objects = render(`overlays/${overlay}`);
  });

  it('gets a configuration its own check accepts, on the port its container declares, and no unknown variable', () => {
    const fileRoot = mkdtempSync(join(tmpdir(), 'stepwise-console-'));
    try {
      const { env, problems } = podEnvironment(objects, 'Deployment/console', {
        fileRoot,
        optionalSecrets: false,
      });
      expect(problems).toEqual([]);
      const checked = consoleComposeApp().check(env);
      if ('problems' in checked) throw new Error(checked.problems.join('\n'));
      expect(checked.port).toBe(4173);
      const known = new Set([...checked.variables, ...IMAGE_VARIABLES]);
      expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
    } finally {
      rmSync(fileRoot, { recursive: true, force: true });
    }
  });
});
