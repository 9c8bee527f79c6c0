import type * as TracingSdk from './tracing-sdk';
import { ConfigError, loadConfig } from '../config/load-config';
import { TracingConfig, tracesExporter } from '../config/tracing-config';

let running: ReturnType<typeof TracingSdk.createTracingSdk> | undefined;

/**
 * Starts the OpenTelemetry SDK when the `OTEL_*` variables configure an exporter, and does nothing else
 * otherwise: the SDK's packages are not even loaded, so tracing that is off costs nothing.
 *
 * Each service's `instrumentation.ts` calls this as the first import of its `main.ts` (entry point
 * `@stepwise/platform/tracing`, which loads only configuration code): the instrumentations patch http, pg,
 * ioredis, kafkajs and Nest as those modules load, so nothing of them may be loaded before. Invalid variables
 * start nothing here; `runService` then reports them with every other invalid variable and exits 78.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (running !== undefined) return true;
  let config: TracingConfig;
  try {
    config = loadConfig(service, TracingConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
  if (tracesExporter(config) === 'none') return false;
  // A synchronous require, so the SDK is running before the next import of main.ts is evaluated.
  const { createTracingSdk } = require('./tracing-sdk') as typeof TracingSdk;
  running = createTracingSdk(service, config);
  running.start();
  return true;
}

/** Whether this process exports spans. */
export function tracingStarted(): boolean {
  return running !== undefined;
}

/**
 * Ends every open batch by exporting it, then stops the SDK: the last step of a graceful shutdown. A collector
 * that is away loses those spans but never holds up the shutdown (the caller's deadline still applies).
 */
export async function shutdownTracing(): Promise<void> {
  const sdk = running;
  running = undefined;
  await sdk?.shutdown().catch(() => undefined);
}
