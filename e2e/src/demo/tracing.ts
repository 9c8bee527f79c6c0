import { join } from 'node:path';
import { SERVICES, type ServiceName } from '@stepwise/contracts';
import { freePort, portOpen, startZipkin, workspaceRoot } from '@stepwise/infra';
import { type RunningOpsTool } from './ops-tools';

/** The port Zipkin usually has, unless something else holds it. */
const ZIPKIN_PORT = 9411;

/** Zipkin beside the services, and the `OTEL_*` variables that make every service export its spans to it. */
export interface DemoTracing extends RunningOpsTool {
  readonly env: Record<string, string>;
}

/**
 * `npm run demo -- --tracing` (or `DEMO_TRACING=true`): a local Zipkin (fetched once from Maven Central, bound
 * to 127.0.0.1, spans in memory) that the four services export their traces to. Started before the services,
 * which need its address; undefined when tracing was not asked for.
 */
export async function demoTracing(
  argv: readonly string[],
  say: (line: string) => void,
): Promise<DemoTracing | undefined> {
  if (!argv.includes('--tracing') && process.env['DEMO_TRACING'] !== 'true') return undefined;
  const port = (await portOpen('127.0.0.1', ZIPKIN_PORT)) ? await freePort() : ZIPKIN_PORT;
  say(`==> Starting Zipkin (traces) on http://127.0.0.1:${port}`);
  const logFile = join(workspaceRoot(), '.infra', 'services', 'zipkin.log');
  const zipkin = await startZipkin({ port, logFile });
  return {
    name: 'Zipkin',
    links: [
      `${zipkin.url}   (traces: Run Query, e.g. serviceName intake; a trace follows a request through Kafka)`,
      `log ${logFile}`,
    ],
    stop: () => zipkin.stop(),
    env: { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansEndpoint },
  };
}

/** Each service's extra variables with the tracing variables added (unchanged without tracing). */
export function withTracing(
  env: Partial<Record<ServiceName, Record<string, string>>>,
  tracing: DemoTracing | undefined,
): Partial<Record<ServiceName, Record<string, string>>> {
  if (tracing === undefined) return env;
  return Object.fromEntries(SERVICES.map((service) => [service, { ...tracing.env, ...env[service] }]));
}
