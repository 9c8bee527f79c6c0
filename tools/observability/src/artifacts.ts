import { join } from 'node:path';
import {
  type ArtifactDrift,
  findGeneratedFileDrift,
  isUpToDate,
  stableJson,
  writeGeneratedFiles,
} from '@stepwise/contracts';
import { DOCS_URL, renderRuleFile } from './alerts/alert-rules';
import { type DashboardSpec, renderDashboard } from './dashboards/dashboard-spec';
import { PLATFORM_DASHBOARD } from './dashboards/platform';
import { PROGRAM_DASHBOARD } from './dashboards/program';

export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');
export const DASHBOARDS: readonly DashboardSpec[] = [PLATFORM_DASHBOARD, PROGRAM_DASHBOARD];

/**
 * Each generated folder (relative to the workspace) with exactly the files it holds; `docsUrl` is where the
 * alerts' runbook links point (DOCS_URL unless a fork names its own).
 */
export function buildObservabilityArtifacts(
  docsUrl: string = DOCS_URL,
): ReadonlyMap<string, ReadonlyMap<string, string>> {
  return new Map([
    [
      'observability/grafana/dashboards',
      new Map(DASHBOARDS.map((spec) => [`${spec.uid}.json`, stableJson(renderDashboard(spec))])),
    ],
    ['observability/prometheus/rules', new Map([['stepwise.rules.yml', renderRuleFile(docsUrl)]])],
  ]);
}

/** Drift of every generated folder, by folder; empty when the committed files are up to date. */
export function findObservabilityDrift(
  root = WORKSPACE_ROOT,
  artifacts = buildObservabilityArtifacts(),
): ReadonlyMap<string, ArtifactDrift> {
  const drifts = new Map<string, ArtifactDrift>();
  for (const [dir, files] of artifacts) {
    const drift = findGeneratedFileDrift(join(root, dir), files);
    if (!isUpToDate(drift)) drifts.set(dir, drift);
  }
  return drifts;
}

export function writeObservabilityArtifacts(
  root = WORKSPACE_ROOT,
  artifacts = buildObservabilityArtifacts(),
): number {
  let count = 0;
  for (const [dir, files] of artifacts) {
    writeGeneratedFiles(join(root, dir), files);
    count += files.size;
  }
  return count;
}
