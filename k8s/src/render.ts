import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type Manifest } from './manifests';

export const K8S_DIR = join(__dirname, '..');
export const OVERLAYS = ['dev', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/**
 * The kubectl that renders the overlays (`kubectl kustomize`, offline). Missing kubectl is an error, never a
 * skipped test: an unrendered tree proves nothing.
 */
export function kubectl(): string {
  const binary = process.env['KUBECTL'] ?? 'kubectl';
  const probe = spawnSync(binary, ['version', '--client', '--output=json'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `kubectl is required to render k8s/ (\`kubectl kustomize\`, kustomize v5) but "${binary}" could not be run` +
        `${probe.error !== undefined ? ` (${probe.error.message})` : ''}. Install kubectl ≥ 1.27 or point KUBECTL at it.`,
    );
  }
  return binary;
}

/** Every object an overlay (or any kustomization directory under k8s/) renders to. */
export function render(directory: string): Manifest[] {
  const output = execFileSync(kubectl(), ['kustomize', join(K8S_DIR, directory)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseAllDocuments(output)
    .map((document) => document.toJS() as Manifest | null)
    .filter((object): object is Manifest => object !== null);
}
