import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Manifest } from './manifests';
import { secretsContract } from './stack';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked as untyped data */
type Obj = Record<string, any>;

export interface PodEnvironmentOptions {
  /**
   * A directory the pod's Secret volumes are written to, with the contract's example values, so variables
   * naming a mounted file (`KAFKA_SASL_PASSWORD_FILE`, `KAFKA_SSL_CA_FILE`) point at a real file; a path
   * outside every mount, or to an item the volume does not project, then names no file.
   */
  readonly fileRoot: string;
  /** Whether the Secret keys the contract marks optional are present (both cases must start). */
  readonly optionalSecrets: boolean;
}

export interface PodEnvironment {
  /** Variable → value, as the container would see it (secrets: the contract's examples). */
  readonly env: Record<string, string>;
  /** References the cluster could not satisfy: a missing ConfigMap or key, a Secret key outside the contract. */
  readonly problems: string[];
}

const objectName = (o: Obj): string => `${String(o['kind'])}/${String(o['metadata']?.name)}`;

/**
 * The environment the first container of `workload` (e.g. `Deployment/intake`) gets from a rendered overlay:
 * `envFrom` ConfigMaps, then `env` (literal values, ConfigMap keys, Secret keys of the secrets contract), later
 * entries winning as in Kubernetes. What it cannot resolve is reported, never guessed.
 */
export function podEnvironment(
  objects: readonly Manifest[],
  workload: string,
  options: PodEnvironmentOptions,
): PodEnvironment {
  const owner = (objects as Obj[]).find((o) => objectName(o) === workload);
  if (owner === undefined) return { env: {}, problems: [`${workload} is not rendered`] };
  const pod = owner['spec'].template.spec as Obj;
  const container = (pod['containers'] as Obj[])[0] as Obj;
  const contract = secretsContract();
  const problems: string[] = [];
  const env: Record<string, string> = {};
  const configMap = (name: string): Record<string, string> | undefined =>
    (objects as Obj[]).find((o) => o['kind'] === 'ConfigMap' && o['metadata'].name === name)?.['data'] ??
    undefined;

  for (const source of (container['envFrom'] ?? []) as Obj[]) {
    const ref = source['configMapRef'] ?? source['secretRef'];
    if (source['configMapRef'] === undefined) {
      problems.push(
        `${workload}: envFrom ${JSON.stringify(source)} (only ConfigMaps: secrets are named one by one)`,
      );
      continue;
    }
    const data = configMap(ref['name']);
    if (data === undefined) {
      if (ref['optional'] !== true)
        problems.push(`${workload}: ConfigMap ${String(ref['name'])} is not rendered`);
      continue;
    }
    for (const [key, value] of Object.entries(data))
      env[`${String(source['prefix'] ?? '')}${key}`] = String(value);
  }

  for (const variable of (container['env'] ?? []) as Obj[]) {
    const name = String(variable['name']);
    if (variable['value'] !== undefined) {
      env[name] = String(variable['value']);
      continue;
    }
    const fromMap = variable['valueFrom']?.configMapKeyRef;
    const fromSecret = variable['valueFrom']?.secretKeyRef;
    if (fromMap !== undefined) {
      const value = configMap(fromMap['name'])?.[fromMap['key']];
      if (value !== undefined) env[name] = String(value);
      else if (fromMap['optional'] !== true)
        problems.push(
          `${workload}: ${name} reads ${String(fromMap['name'])}.${String(fromMap['key'])}, which is not rendered`,
        );
    } else if (fromSecret !== undefined) {
      const key = contract.get(fromSecret['name'])?.find((k) => k.name === fromSecret['key']);
      if (key === undefined) {
        problems.push(
          `${workload}: ${name} reads Secret ${String(fromSecret['name'])} key ${String(fromSecret['key'])}, which the secrets contract does not declare`,
        );
      } else if (key.optional === true && fromSecret['optional'] !== true) {
        problems.push(
          `${workload}: ${name} must be an optional reference (the contract lets the key be absent)`,
        );
      } else if (key.optional !== true || options.optionalSecrets) {
        env[name] = key.example;
      }
    } else {
      problems.push(`${workload}: ${name} has no value this check understands`);
    }
  }

  // Secret volumes as files under fileRoot; the variables naming a file inside a mount are moved there.
  const mounts: { mountPath: string; directory: string }[] = [];
  for (const volume of (pod['volumes'] ?? []) as Obj[]) {
    const mount = ((container['volumeMounts'] ?? []) as Obj[]).find((m) => m['name'] === volume['name']);
    if (mount === undefined) continue;
    const directory = join(options.fileRoot, String(volume['name']));
    mkdirSync(directory, { recursive: true });
    mounts.push({ mountPath: String(mount['mountPath']), directory });
    if (volume['secret'] === undefined) continue;
    const keys = contract.get(volume['secret'].secretName);
    if (keys === undefined) {
      problems.push(
        `${workload}: volume ${String(volume['name'])} mounts Secret ${String(volume['secret'].secretName)}, outside the contract`,
      );
      continue;
    }
    const items =
      (volume['secret'].items as Obj[] | undefined) ?? keys.map((k) => ({ key: k.name, path: k.name }));
    for (const item of items) {
      const key = keys.find((k) => k.name === item['key']);
      if (key === undefined) {
        problems.push(
          `${workload}: volume ${String(volume['name'])} projects key ${String(item['key'])}, outside the contract`,
        );
        continue;
      }
      const file = join(directory, String(item['path']));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, key.example);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    const mount = mounts.find((m) => value.startsWith(`${m.mountPath}/`));
    if (mount !== undefined) env[name] = join(mount.directory, value.slice(mount.mountPath.length + 1));
  }
  return { env, problems };
}
