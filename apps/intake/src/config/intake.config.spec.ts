import { join } from 'node:path';
import {
  deployedConfigProblems,
  describeComposeConfig,
  describeDeployedConfig,
  describeKekVariable,
  describeServiceConfig,
  renderOverlay,
  type Manifest,
} from '@stepwise/testing';
import { IntakeConfig } from './intake.config';

const ENV_EXAMPLE = join(__dirname, '../../.env.example');

describeServiceConfig('intake', IntakeConfig, ENV_EXAMPLE);
describeKekVariable('intake', IntakeConfig, ENV_EXAMPLE, 'PHI_KEK');
describeDeployedConfig('intake', IntakeConfig);
describeComposeConfig('intake', IntakeConfig);

describe('the deployed-configuration check', () => {
  type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered YAML
  let production: Manifest[];
  beforeAll(() => {
    production = renderOverlay('overlays/production');
  });
  /** The production overlay with one change to a copy of it. */
  const changed = (edit: (objects: Obj[]) => void): Manifest[] => {
    const copy = structuredClone(production) as Obj[];
    edit(copy);
    return copy;
  };
  const find = (objects: Obj[], kind: string, name: string): Obj =>
    objects.find((o) => o['kind'] === kind && o['metadata'].name === name) as Obj;
  const container = (objects: Obj[]): Obj =>
    find(objects, 'Deployment', 'intake')['spec'].template.spec.containers[0];
  const problems = (objects: Manifest[]): string[] =>
    deployedConfigProblems('intake', IntakeConfig, objects, 'Deployment/intake', true);

  it('fails when the Deployment no longer provides a variable required in production', () => {
    const objects = changed((o) => {
      container(o).env = (container(o).env as Obj[]).filter((e) => e['name'] !== 'PHI_KEK');
    });
    expect(problems(objects)).toEqual([
      expect.stringMatching(/^Deployment\/intake: PHI_KEK: PHI_KEK is required in production/),
    ]);
  });

  it('fails on a malformed value, a variable the schema does not know, and a Secret key outside the contract', () => {
    const objects = changed((o) => {
      find(o, 'ConfigMap', 'stepwise-config')['data'].KAFKA_BROKERS = 'stepwise-kafka-bootstrap';
      container(o).env.push(
        { name: 'PHI_KEK_IDENTIFIER', value: 'kek-2' },
        { name: 'PHI_RETIRED_KEKS', valueFrom: { secretKeyRef: { name: 'intake-secrets', key: 'RETIRED' } } },
      );
    });
    expect(problems(objects)).toEqual([
      'Deployment/intake: PHI_RETIRED_KEKS reads Secret intake-secrets key RETIRED, which the secrets contract does not declare',
      'Deployment/intake: PHI_KEK_IDENTIFIER is not a variable of the intake configuration',
      'Deployment/intake: KAFKA_BROKERS: KAFKA_BROKERS must be a comma-separated list of host:port',
    ]);
  });

  it('fails when a file variable points outside the mounted Secret', () => {
    const objects = changed((o) => {
      find(o, 'ConfigMap', 'intake-config')['data'].KAFKA_SASL_PASSWORD_FILE =
        '/var/run/secrets/stepwise/kafka-user/passwd';
    });
    expect(problems(objects)).toEqual([
      'Deployment/intake: KAFKA_SASL_PASSWORD_FILE: KAFKA_SASL_PASSWORD_FILE must name a readable, non-empty file',
    ]);
  });
});
