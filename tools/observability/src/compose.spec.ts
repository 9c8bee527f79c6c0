import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '@stepwise/contracts';
import { parse } from 'yaml';
import { WORKSPACE_ROOT } from './artifacts';

interface ComposeService {
  readonly image?: string;
  readonly profiles?: readonly string[];
  readonly volumes?: readonly string[];
  readonly ports?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
}

const compose = parse(readFileSync(join(WORKSPACE_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService & { ports?: readonly string[] }>;
};
const scrape = parse(
  readFileSync(join(WORKSPACE_ROOT, 'observability/prometheus/prometheus.yml'), 'utf8'),
) as {
  scrape_configs: {
    job_name: string;
    static_configs: { targets: string[]; labels: { service: string } }[];
  }[];
};

/** `./host:/container[:ro]` → the host path, which must exist in the repository. */
function hostPaths(service: ComposeService): string[] {
  return (service.volumes ?? []).map((volume) => volume.split(':')[0] as string);
}

describe("docker-compose.yml's observability profile", () => {
  const { prometheus, grafana } = compose.services;

  it('runs Prometheus and Grafana, only in the observability profile', () => {
    expect(prometheus?.profiles).toEqual(['observability']);
    expect(grafana?.profiles).toEqual(['observability']);
    expect(prometheus?.image).toMatch(/^prom\/prometheus:v\d/);
    expect(grafana?.image).toMatch(/^grafana\/grafana:\d/);
    expect(
      [...(prometheus?.ports ?? []), ...(grafana?.ports ?? [])].every((port) =>
        port.startsWith('127.0.0.1:'),
      ),
    ).toBe(true);
  });

  it('mounts the committed configuration, rules, provisioning and dashboards', () => {
    const mounted = [...hostPaths(prometheus ?? {}), ...hostPaths(grafana ?? {})];
    expect(mounted).toEqual([
      './observability/prometheus',
      './observability/grafana/provisioning',
      './observability/grafana/dashboards',
    ]);
    for (const path of mounted) expect(existsSync(join(WORKSPACE_ROOT, path))).toBe(true);
    expect(prometheus?.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    const provider = parse(
      readFileSync(
        join(WORKSPACE_ROOT, 'observability/grafana/provisioning/dashboards/stepwise.yml'),
        'utf8',
      ),
    ) as { providers: { options: { path: string } }[] };
    expect(grafana?.volumes).toContain(
      `./observability/grafana/dashboards:${provider.providers[0]?.options.path}:ro`,
    );
  });

  it('scrapes each of the four services on the port compose gives it, labelled with its name', () => {
    const job = scrape.scrape_configs.find((config) => config.job_name === 'stepwise');
    const targets = (job?.static_configs ?? []).map((config) => [config.labels.service, config.targets]);
    expect(targets).toEqual(
      SERVICES.map((service) => {
        const port = String(compose.services[service]?.environment?.['PORT']);
        return [service, [`${service}:${port}`]];
      }),
    );
  });
});
