import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { resetOutboxAutovacuumV1, tuneOutboxAutovacuumV1 } from '@stepwise/messaging';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

/** The outbox is a queue: vacuumed after every 5,000 dead rows (see tuneOutboxAutovacuumV1). */
export class OutboxAutovacuum1764200000000 implements MigrationInterface {
  name = 'OutboxAutovacuum1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await tuneOutboxAutovacuumV1(queryRunner, SCHEDULING_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await resetOutboxAutovacuumV1(queryRunner, SCHEDULING_SCHEMA);
  }
}
