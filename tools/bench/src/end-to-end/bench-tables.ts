import { createInboxTablesV1, createOutboxTableV1 } from '@stepwise/messaging';
import { dataSourceOptions } from '@stepwise/platform';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Both paths share one benchmark database and schema; rows carry the path that wrote them. */
export const SCHEMA = 'sessions';
export type PathName = 'stepwise' | 'peer';

/** The use case's domain row: one attendance record per request. */
export const INSERT_ATTENDANCE = `INSERT INTO "${SCHEMA}".attendance (id, client_id, path, minutes) VALUES ($1, $2, $3, $4)`;

/**
 * The consumer's effect: deliberately without a unique key, so an event applied twice shows as two rows.
 * `$4` is the wall clock (ms) at which the handler received the event, for the latency breakdown.
 */
export const INSERT_EFFECT = `INSERT INTO "${SCHEMA}".effects (path, event_id, attendance_id, received_at)
  VALUES ($1, $2, $3, to_timestamp($4::float8 / 1000))`;

/**
 * The same pool settings for every process of both paths, except the wait for a pooled connection: the
 * services' 3 s turns into failed requests when a loaded machine deschedules the benchmark (32 requests in
 * flight share 10 connections), which measures nothing but the machine.
 */
export function benchDataSourceOptions(
  url: string,
  applicationName: string,
  poolSize: number,
): ReturnType<typeof dataSourceOptions> {
  return {
    ...dataSourceOptions(url, { schema: SCHEMA, migrations: [], applicationName, poolSize }),
    connectTimeoutMS: 60_000,
  } as ReturnType<typeof dataSourceOptions>;
}

/** What the NestJS peer emits: the same SessionAttended payload, with an id of its own to measure by. */
export interface PeerEvent {
  readonly id: string;
  readonly type: 'SessionAttended';
  readonly data: { readonly attendanceId: string; readonly clientId: string } & Record<string, unknown>;
}

export class BenchTables1700000000000 implements MigrationInterface {
  name = 'BenchTables1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    // The services' outbox as migrated today: no NOTIFY trigger (the UnitOfWork wakes the relay after commit).
    await createOutboxTableV1(queryRunner, SCHEMA);
    await createInboxTablesV1(queryRunner, SCHEMA);
    await queryRunner.query(`
      CREATE TABLE "${SCHEMA}".attendance (
        id         uuid        PRIMARY KEY,
        client_id  uuid        NOT NULL,
        path       text        NOT NULL,
        minutes    int         NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // applied_at is the effect's time on the database clock (the insert, just before its commit).
    await queryRunner.query(`
      CREATE TABLE "${SCHEMA}".effects (
        path          text        NOT NULL,
        event_id      uuid        NOT NULL,
        attendance_id uuid        NOT NULL,
        applied_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        received_at   timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX effects_event_idx ON "${SCHEMA}".effects (event_id)`);
    await queryRunner.query(`CREATE INDEX effects_path_idx ON "${SCHEMA}".effects (path)`);
  }
  async down(): Promise<void> {
    // benchmark database only; dropped at the end
  }
}

/** Prints a line the parent process waits for (children report readiness on stdout). */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Runs a consumer process: `start` returns its graceful stop. Prints READY once started; on SIGTERM stops
 * and exits 0 (1 if stopping failed).
 */
export function runConsumerProcess(start: () => Promise<() => Promise<void>>): void {
  const fail = (error: unknown): void => {
    say(`ERROR ${String(error)}`);
    process.exit(1);
  };
  start().then((stop) => {
    process.once('SIGTERM', () => {
      stop().then(() => process.exit(0), fail);
    });
    say('READY');
  }, fail);
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with the database's clock. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}
