import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** A TypeORM migration class, as a service lists it (TypeORM constructs it with `new`). */
export type MigrationClass = new () => MigrationInterface;

/** The two directions of a migration a library owns, for whichever schema a service gives it. */
export interface SchemaMigrationSteps {
  up(queryRunner: QueryRunner, schema: string): Promise<void>;
  down(queryRunner: QueryRunner, schema: string): Promise<void>;
}

/** The 13-digit JavaScript timestamp TypeORM orders migrations by, at the end of the name. */
const TIMESTAMPED_NAME = /^[A-Z][A-Za-z0-9]*\d{13}$/;

/**
 * A library's table (the outbox, the inbox, the audit trail…) lives in each service's own schema. Instead of a
 * wrapper file per service that differs only by the schema, the library declares the migration once and this
 * binds it to a schema. The name is what the `migrations` table records, so it is part of the history: a
 * migration keeps its name for ever, and a change to a library table is a new migration with a new name.
 */
export function schemaMigration(name: string, schema: string, steps: SchemaMigrationSteps): MigrationClass {
  if (!TIMESTAMPED_NAME.test(name)) {
    throw new Error(`Migration name ${name} must be PascalCase ending in a 13-digit timestamp`);
  }
  const migration = class implements MigrationInterface {
    readonly name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await steps.up(queryRunner, schema);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await steps.down(queryRunner, schema);
    }
  };
  // Named like a hand-written migration class, for TypeORM's messages and stack traces.
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}

/** The timestamp at the end of a migration's name, by which TypeORM orders what it applies. */
export function migrationTimestamp(name: string): number {
  return Number(name.slice(-13));
}
