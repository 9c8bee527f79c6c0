import { randomBytes } from 'node:crypto';
import { type ServiceName } from '@stepwise/contracts';
import { type ServiceDatabase, bootstrapDatabase, dropDatabase } from '@stepwise/infra';
import { type ServiceDatabaseOptions, dataSourceOptions, runMigrations } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { postgresAdminUrl } from './infra-env';

export interface TestDatabase {
  readonly name: string;
  /** The service's schema, owner and application role URLs in this database. */
  service(service: ServiceName): ServiceDatabase;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, laid out exactly like production (a schema, an owner role and
 * an application role per service), so tests run in any order and never see each other's rows.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `stepwise_t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = postgresAdminUrl();
  const services = await bootstrapDatabase(admin, name);
  return {
    name,
    service: (service) => {
      const found = services.find((s) => s.service === service);
      if (found === undefined) throw new Error(`No schema for ${service}`);
      return found;
    },
    drop: () => dropDatabase(admin, name),
  };
}

/**
 * Applies `migrations` to a service's schema of a test database as its owner, then opens a TypeORM data source
 * on it as the application role — the same split production uses.
 */
export async function openServiceDataSource(
  db: TestDatabase,
  service: ServiceName,
  options: { label: string; migrations: ServiceDatabaseOptions['migrations']; poolSize?: number },
): Promise<DataSource> {
  await runMigrations(db.service(service).migrationUrl, options.label, {
    schema: service,
    migrations: options.migrations,
  });
  const dataSource = new DataSource(
    dataSourceOptions(db.service(service).url, {
      schema: service,
      migrations: [],
      applicationName: options.label,
      poolSize: options.poolSize ?? 6,
    }),
  );
  return dataSource.initialize();
}
