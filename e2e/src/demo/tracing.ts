import { join } from 'node:path';
import { type LocalZipkin, portOpen, startZipkin, workspaceRoot } from '@stepwise/infra';
import { SERVICES, type ServiceName } from '@stepwise/contracts';

/** Zipkin's usual port; `DEMO_ZIPKIN_PORT` picks another. */
const ZIPKIN_PORT = 9411;

export interface DemoTracing {
  readonly zipkin: LocalZipkin;
  /** The `OTEL_*` variables that make every service export its spans to this Zipkin. */
  readonly env: Record<string, string>;
}

/**
 * `npm run demo -- --tracing` (or `DEMO_TRACING=true`): a local Zipkin on 127.0.0.1:9411 (fetched once from Maven
 * Central, spans in memory) that the four services export their traces to. Undefined when not asked for.
 */
export async function demoTracing(
  argv: readonly string[],
  say: (line: string) => void,
): Promise<DemoTracing | undefined> {
  if (!argv.includes('--tracing') && process.env['DEMO_TRACING'] !== 'true') return undefined;
  const port = Number(process.env['DEMO_ZIPKIN_PORT'] ?? ZIPKIN_PORT);
  if (await portOpen('127.0.0.1', port)) {
    throw new Error(`Port ${port} is taken: stop what listens there, or set DEMO_ZIPKIN_PORT to a free port`);
  }
  say(`==> Zipkin (traces) on http://127.0.0.1:${port}`);
  const zipkin = await startZipkin({
    port,
    logFile: join(workspaceRoot(), '.infra', 'services', 'zipkin.log'),
  });
  return {
    zipkin,
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
