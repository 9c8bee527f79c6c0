import { Test, type TestingModule } from '@nestjs/testing';
import { type ServiceConfig, type ServiceDefinition, loadConfig } from '@stepwise/platform';
import { envExample } from '../config/env-example';

/**
 * The service's real root module, configured from its `.env.example` and compiled without starting
 * anything (no connection is opened before init): enough to inspect its routes, guards and providers.
 */
export function compileService<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  envExamplePath: string,
): Promise<TestingModule> {
  const config = loadConfig(definition.name, definition.config, envExample(envExamplePath));
  return Test.createTestingModule({ imports: [definition.module(config)] }).compile();
}
