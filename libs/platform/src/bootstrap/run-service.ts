import { type Server } from 'node:http';
import {
  type DynamicModule,
  type INestApplication,
  type INestApplicationContext,
  type NestApplicationOptions,
} from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { type CustomTransportStrategy } from '@nestjs/microservices';
import { type ClassConstructor } from 'class-transformer';
import { Logger } from 'nestjs-pino';
import { type HttpLogger } from 'pino-http';
import { ConfigError, loadConfig } from '../config/load-config';
import { type ServiceConfig } from '../config/service-config';
import { ReadinessRegistry } from '../health/readiness.registry';
import { createLogger } from '../logging/logger';
import { REQUEST_LOGGING } from '../logging/logging.module';
import { type ServiceDatabaseOptions } from '../persistence/data-source-options';
import { runMigrations } from '../persistence/run-migrations';
import { shutdownTracing } from '../tracing/start-tracing';

/** sysexits(3) EX_CONFIG: lets an orchestrator tell "misconfigured" apart from "crashed". */
export const EXIT_CONFIG = 78;

export interface ServiceDefinition<C extends ServiceConfig> {
  readonly name: string;
  readonly config: ClassConstructor<C>;
  readonly database: ServiceDatabaseOptions;
  /** The app's root module, built from its validated configuration. */
  readonly module: (config: C) => DynamicModule;
  /**
   * Applies the HTTP conventions every service shares (`configureHttp` from `@stepwise/security`: `/v1`
   * prefix, body limits, problem+json errors, validation, security headers, CORS, OpenAPI). Passed in rather
   * than imported because the security library builds on this one.
   */
  readonly configureHttp: (app: INestApplication, config: C) => void | Promise<void>;
  /** One-off operational commands (`main.js <name>`), run in an application context without HTTP. */
  readonly commands?: Readonly<Record<string, ServiceCommand>>;
}

/**
 * An operational command run against the service's own modules (e.g. `replay-dead-letters`). The process
 * runs it with consuming and relaying switched off, so it never competes with the running replicas, and
 * exits with the code it returns.
 */
export interface ServiceCommand {
  readonly description: string;
  run(app: INestApplicationContext, args: readonly string[]): Promise<number>;
}

/**
 * The service's event transport, when its modules provide one: a `@nestjs/microservices` custom transport
 * strategy (the messaging library's consumer). A token of this library rather than the class itself because
 * the messaging library builds on this one.
 */
export const EVENT_TRANSPORT = Symbol('EVENT_TRANSPORT');

/** The app's event transport, or undefined when its modules provide none (a service that consumes nothing). */
export function eventTransport(app: INestApplicationContext): CustomTransportStrategy | undefined {
  // Asked of the modules' providers first: `app.get` of a token nobody provides throws, and Nest logs that as
  // an error on the way, though a service that consumes no events simply has no transport to connect.
  const provided = [...app.get(ModulesContainer).values()].some((module) =>
    module.providers.has(EVENT_TRANSPORT),
  );
  return provided ? app.get<CustomTransportStrategy>(EVENT_TRANSPORT, { strict: false }) : undefined;
}

/** How every service's HTTP application is created (tests of its behaviour create theirs the same way). */
export const HTTP_APPLICATION_OPTIONS: NestApplicationOptions = {
  bufferLogs: true,
  // Body parsing is part of the HTTP conventions (size and shape limits), installed by configureHttp.
  bodyParser: false,
  // Not `forceCloseConnections`: at close it destroys every socket, requests in flight included, which a
  // rolling restart showed as requests cut unanswered (docs/reliability.md). `stopGracefully` closes
  // connections only once they are idle.
  forceCloseConnections: false,
  // Errors are thrown to the caller (the bootstrap logs them and exits 1; a test sees the rejection)
  // instead of Nest ending the process itself.
  abortOnError: false,
};

/**
 * The orderly stop at SIGTERM: readiness fails first, so load balancers stop routing here; then Nest closes
 * the HTTP server (no new connection; every request in flight answered, each connection closed as soon as it
 * is idle, rather than kept alive for the next request) and only then the modules (consumers finish and
 * commit, then Kafka, then the database).
 */
export async function stopGracefully(app: INestApplication): Promise<void> {
  app.get(ReadinessRegistry).markShuttingDown();
  const server = app.getHttpServer() as Server;
  const closeIdle = setInterval(() => server.closeIdleConnections(), 100);
  try {
    await app.close();
  } finally {
    clearInterval(closeIdle);
  }
}

/**
 * Builds the service's HTTP application without listening: pino as Nest's logger, the request logger
 * (correlation id) as the very first middleware so even a rejected body is logged with its id, then the
 * shared HTTP conventions. Tests build apps the same way.
 */
export async function createHttpApplication<C extends ServiceConfig>(
  definition: Pick<ServiceDefinition<C>, 'module' | 'configureHttp'>,
  config: C,
): Promise<INestApplication> {
  const app = await NestFactory.create(definition.module(config), HTTP_APPLICATION_OPTIONS);
  app.useLogger(app.get(Logger));
  app.use(app.get<HttpLogger>(REQUEST_LOGGING));
  await definition.configureHttp(app, config);
  const transport = eventTransport(app);
  // Connected here, so Nest registers the @EventPattern handlers of the app's controllers with it; it
  // consumes only once `startAllMicroservices` runs (serve), never in a command. Not inheriting the HTTP
  // app's global pipes, filters and interceptors: they speak HTTP.
  if (transport !== undefined) app.connectMicroservice({ strategy: transport });
  return app;
}

/**
 * The single entry point of every service process:
 *   `main.js` / `main.js serve`  - serve HTTP and consume events until SIGTERM;
 *   `main.js migrate`            - apply pending migrations as the schema owner, then exit;
 *   `main.js <command>`          - one of the definition's operational commands (e.g. replay-dead-letters).
 * Invalid configuration ends the process with EXIT_CONFIG and a message naming each bad variable.
 */
export async function runService<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  const command = argv[0] ?? 'serve';
  let config: C;
  try {
    config = loadConfig(definition.name, definition.config);
    if (command === 'migrate' && config.DATABASE_MIGRATION_URL === undefined) {
      throw new ConfigError(definition.name, [
        {
          variable: 'DATABASE_MIGRATION_URL',
          problems: ['DATABASE_MIGRATION_URL is required by the migrate command'],
        },
      ]);
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = EXIT_CONFIG;
    await shutdownTracing();
    return;
  }
  const log = createLogger({ service: definition.name, level: config.LOG_LEVEL });

  switch (command) {
    case 'migrate': {
      const applied = await runMigrations(
        config.DATABASE_MIGRATION_URL ?? '',
        definition.name,
        definition.database,
      );
      log.info(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'No pending migrations');
      await shutdownTracing();
      return;
    }
    case 'serve': {
      const app = await createHttpApplication(definition, config);
      // Signals are handled here rather than by Nest's shutdown hooks, which re-raise the signal after
      // closing: an orderly stop should end with exit code 0, and a hung one with 1 after the deadline.
      const shutdown = (signal: NodeJS.Signals): void => {
        log.info(`${signal} received: shutting down`);
        // Readiness fails first, before any module stops, so load balancers stop routing while work finishes;
        // then Nest closes modules: relay and consumers finish and commit, then Kafka, then the database; last,
        // the spans of that work are exported (when tracing is on), within the same deadline.
        setTimeout(() => {
          log.error(`Shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
          process.exit(1);
        }, config.SHUTDOWN_TIMEOUT_MS).unref();
        stopGracefully(app)
          .then(shutdownTracing)
          .then(
            () => process.exit(0),
            (error: unknown) => {
              log.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
              process.exit(1);
            },
          );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
      // The consumer first (it starts in the background, once the database is ready), so its readiness
      // check is registered before the health endpoint answers.
      await app.startAllMicroservices();
      await app.listen(config.PORT, '0.0.0.0');
      log.info(`Listening on port ${config.PORT}`);
      return;
    }
    default: {
      const extra = definition.commands?.[command];
      if (extra === undefined) {
        const known = ['serve (default)', 'migrate', ...Object.keys(definition.commands ?? {})];
        process.stderr.write(`Unknown command "${command}". Commands: ${known.join(', ')}\n`);
        process.exitCode = 64; // EX_USAGE
        return;
      }
      config.CONSUMER_ENABLED = false;
      config.RELAY_ENABLED = false;
      // The application `serve` builds, initialised but neither listening nor consuming: a command such as
      // replay-dead-letters needs the event handlers Nest registers with the connected transport.
      const app = await createHttpApplication(definition, config);
      await app.init();
      try {
        process.exitCode = await extra.run(app, argv.slice(1));
      } finally {
        await app.close();
        await shutdownTracing();
      }
    }
  }
}
