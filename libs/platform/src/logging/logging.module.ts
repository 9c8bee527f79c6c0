import { type DynamicModule, Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type Logger } from 'pino';
import { SERVICE_NAME } from '../config/config.module';
import { ServiceConfig } from '../config/service-config';
import { createLogger } from './logger';
import { requestLogging } from './request-logging';

/** Injection token of the service's root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
/** Injection token of the request logging middleware, installed first by the bootstrap. */
export const REQUEST_LOGGING = Symbol('REQUEST_LOGGING');

/** Holds the one root logger, shared by nestjs-pino and whoever injects ROOT_LOGGER. */
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [ServiceConfig, SERVICE_NAME],
      useFactory: (config: ServiceConfig, service: string): Logger =>
        createLogger({ service, level: config.LOG_LEVEL }),
    },
    { provide: REQUEST_LOGGING, inject: [ROOT_LOGGER], useFactory: requestLogging },
  ],
  exports: [ROOT_LOGGER, REQUEST_LOGGING],
})
class RootLoggerModule {}

/**
 * PHI-safe structured logging for the whole service. Nest's `Logger` (used by every module) writes through
 * pino; inside a request it writes through the request's child logger, so each line carries the
 * correlation id. For work outside HTTP (Kafka handlers), inject `PinoLogger` or take a child of ROOT_LOGGER
 * with the message's ids bound.
 */
@Global()
@Module({})
export class LoggingModule {
  static forService(): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        RootLoggerModule,
        LoggerModule.forRootAsync({
          imports: [RootLoggerModule],
          inject: [ROOT_LOGGER],
          // The request logger itself runs before any other middleware (see createHttpApplication); this
          // module only binds each request's child logger to Nest's async context.
          useFactory: (logger: Logger) => ({
            pinoHttp: { logger },
            useExisting: true,
            forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          }),
        }),
      ],
      exports: [LoggerModule, RootLoggerModule],
    };
  }
}
