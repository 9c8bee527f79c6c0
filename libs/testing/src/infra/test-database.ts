import { randomBytes } from 'node:crypto';
import { type ServiceName } from '@stepwise/contracts';
import { type ServiceDatabase, bootstrapDatabase, dropDatabase } from '@stepwise/infra';
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
