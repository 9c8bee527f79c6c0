import { join } from 'node:path';
import { SERVICES } from '@stepwise/contracts';
import { freePort, infraDir, portOpen, startPrometheus } from '@stepwise/infra';
import { type ServiceUrls } from './network';

/** A process the demo runs beside the services so a newcomer can watch them: where it answers, how to stop it. */
export interface RunningOpsTool {
  readonly name: string;
  /** What to open, one line each (`Prometheus  http://127.0.0.1:9090  (live series …)`). */
  readonly links: readonly string[];
  stop(): Promise<void>;
}

/**
 * One optional tool: started after the services, stopped before them on Ctrl-C. A tool that cannot start (its
 * binary cannot be fetched offline, its port is taken) is reported and the demo goes on without it.
 */
export interface OpsTool {
  readonly name: string;
  start(urls: ServiceUrls, say: (line: string) => void): Promise<RunningOpsTool>;
}

/** The port Prometheus usually has, unless something else holds it. */
const PROMETHEUS_PORT = 9090;

/** Prometheus scraping the four services every 5 s with the project's recording and alert rules loaded. */
export const PROMETHEUS: OpsTool = {
  name: 'Prometheus',
  async start(urls, say) {
    const port = (await portOpen('127.0.0.1', PROMETHEUS_PORT)) ? await freePort() : PROMETHEUS_PORT;
    const prometheus = await startPrometheus({
      targets: SERVICES.map((service) => ({ service, url: urls[service] })),
      port,
      dataDir: infraDir('prometheus', 'demo'),
      intervalSeconds: 5,
      webUi: true,
      // `npm run infra:status` reports it while it runs.
      record: true,
      log: say,
    });
    return {
      name: 'Prometheus',
      links: [
        `${prometheus.url}   (live series; the rules' alerts and the scrape targets in its menu)`,
        `config ${prometheus.configFile}, log ${join(infraDir('prometheus', 'demo'), 'prometheus.log')}`,
      ],
      stop: () => prometheus.stop(),
    };
  },
};

/** What `npm run demo` starts beside the services, in order (stopped in reverse). */
export const OPS_TOOLS: readonly OpsTool[] = [PROMETHEUS];

/** Starts each tool; one that fails is reported and left out. */
export async function startOpsTools(
  tools: readonly OpsTool[],
  urls: ServiceUrls,
  say: (line: string) => void,
): Promise<RunningOpsTool[]> {
  const running: RunningOpsTool[] = [];
  for (const tool of tools) {
    try {
      running.push(await tool.start(urls, say));
    } catch (error) {
      say(`    ${tool.name} not started: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return running;
}

/** Stops the tools in reverse order of their start; a failure to stop one does not keep the others running. */
export async function stopOpsTools(running: readonly RunningOpsTool[]): Promise<void> {
  for (const tool of [...running].reverse()) await tool.stop().catch(() => undefined);
}
