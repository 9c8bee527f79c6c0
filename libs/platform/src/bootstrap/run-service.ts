import { ConsoleLogger, type DynamicModule, type LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ClassConstructor } from 'class-transformer';
import { ConfigError, loadConfig } from '../config/load-config';
import { type LogLevel, type ServiceConfig } from '../config/service-config';
import { type ServiceDatabaseOptions } from '../persistence/data-source-options';
import { runMigrations } from '../persistence/run-migrations';

/** sysexits(3) EX_CONFIG: lets an orchestrator tell "misconfigured" apart from "crashed". */
export const EXIT_CONFIG = 78;

export interface ServiceDefinition<C extends ServiceConfig> {
  readonly name: string;
  readonly config: ClassConstructor<C>;
  readonly database: ServiceDatabaseOptions;
  /** The app's root module, built from its validated configuration. */
  readonly module: (config: C) => DynamicModule;
}

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

function logger(service: string, level: LogLevel): ConsoleLogger {
  return new ConsoleLogger(service, { json: true, colors: false, logLevels: NEST_LEVELS[level] });
}

/**
 * The single entry point of every service process:
 *   `main.js` / `main.js serve`  - serve HTTP (and, later, consume events) until SIGTERM;
 *   `main.js migrate`            - apply pending migrations as the schema owner, then exit.
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
    return;
  }
  const log = logger(definition.name, config.LOG_LEVEL);

  switch (command) {
    case 'migrate': {
      const applied = await runMigrations(
        config.DATABASE_MIGRATION_URL ?? '',
        definition.name,
        definition.database,
      );
      log.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'No pending migrations');
      return;
    }
    case 'serve': {
      const app = await NestFactory.create(definition.module(config), {
        logger: log,
        forceCloseConnections: true,
      });
      // Signals are handled here rather than by Nest's shutdown hooks, which re-raise the signal after
      // closing: an orderly stop should end with exit code 0, and a hung one with 1 after the deadline.
      const shutdown = (signal: NodeJS.Signals): void => {
        log.log(`${signal} received: shutting down`);
        setTimeout(() => {
          log.error(`Shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
          process.exit(1);
        }, config.SHUTDOWN_TIMEOUT_MS).unref();
        app.close().then(
          () => process.exit(0),
          (error: unknown) => {
            log.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
      await app.listen(config.PORT, '0.0.0.0');
      log.log(`Listening on port ${config.PORT}`);
      return;
    }
    default:
      process.stderr.write(`Unknown command "${command}". Commands: serve (default), migrate\n`);
      process.exitCode = 64; // EX_USAGE
  }
}
