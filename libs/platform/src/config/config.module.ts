import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ServiceConfig } from './service-config';

/** The service's name ("intake", ...), injectable wherever it labels logs, metrics or clients. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/**
 * Makes the validated configuration injectable both as the service's own class and as the shared
 * `ServiceConfig`, so platform code depends on the common shape only.
 */
@Global()
@Module({})
export class ConfigModule {
  static forService<T extends ServiceConfig>(service: string, config: T): DynamicModule {
    const ownClass = config.constructor as new () => T;
    const providers = [
      { provide: SERVICE_NAME, useValue: service },
      { provide: ServiceConfig, useValue: config },
      ...(ownClass === ServiceConfig ? [] : [{ provide: ownClass, useValue: config }]),
    ];
    return { module: ConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
