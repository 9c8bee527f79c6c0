import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { PlatformModule, ServiceConfig, createHttpApplication, loadConfig } from '@stepwise/platform';
import { configureHttp } from '../http/configure-http';
import { SecurityModule } from '../security.module';
import { ProbeController } from './probe.controller';
import { CreateProbeTables1763900000001, PROBE_SCHEMA } from './probe-migration';

export const probeDatabase = { schema: PROBE_SCHEMA, migrations: [CreateProbeTables1763900000001] };

@Module({ controllers: [ProbeController] })
class ProbeModule {}

/** Test-only service: the platform and security modules exactly as an app composes them, plus probes. */
@Module({})
export class ProbeAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: ProbeAppModule,
      imports: [
        PlatformModule.forService({ service: 'probe', config, database: probeDatabase }),
        SecurityModule.forService(),
        ProbeModule,
      ],
    };
  }
}

class ProbeConfig extends ServiceConfig {
  override PORT = 3999;
}

/** Builds and starts the probe app on a free port, configured from `env` as a service process would be. */
export async function startProbeApp(
  env: Record<string, string>,
): Promise<{ app: INestApplication; url: string }> {
  const config = loadConfig('probe', ProbeConfig, env);
  const app = await createHttpApplication(
    { module: (c) => ProbeAppModule.register(c), configureHttp },
    config,
  );
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
