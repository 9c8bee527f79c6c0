import { DataSource } from 'typeorm';
import { type ServiceDatabaseOptions, dataSourceOptions } from './data-source-options';

/**
 * Applies pending migrations as the schema owner. Called by the `migrate` command (a Kubernetes Job in
 * production), never implicitly at start-up. Returns the names of the migrations it applied.
 */
export async function runMigrations(
  migrationUrl: string,
  service: string,
  options: ServiceDatabaseOptions,
): Promise<string[]> {
  const dataSource = new DataSource(
    dataSourceOptions(migrationUrl, { ...options, applicationName: `${service}-migrate`, poolSize: 1 }),
  );
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
