import { type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';

// TypeORM takes class constructors of any shape for entities and migrations.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Constructor = Function;

export interface ServiceDatabaseOptions {
  /** The service's schema; every table of the service lives there and nowhere else. */
  readonly schema: string;
  readonly migrations: MixedList<Constructor | string>;
  readonly entities?: MixedList<Constructor | string | EntitySchema>;
}

/**
 * Data source options shared by every service: its own schema, migrations listed explicitly (the bundle has
 * no migration folder to glob), never `synchronize`, bounded connection waits so readiness answers quickly
 * when the database is unreachable.
 */
export function dataSourceOptions(
  url: string,
  options: ServiceDatabaseOptions & { applicationName: string; poolSize: number },
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: options.schema,
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    applicationName: options.applicationName,
    poolSize: options.poolSize,
    connectTimeoutMS: 3_000,
    extra: {
      // A connection idle in a pool is cheap to re-open; one left open through a network fault is not.
      idleTimeoutMillis: 30_000,
      options: `-c search_path=${options.schema}`,
    },
  };
}
