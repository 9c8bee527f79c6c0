import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

/** A track may set its own expected length of stay (else its level's program shape says it). */
export class TrackExpectedStay1764400200000 implements MigrationInterface {
  name = 'TrackExpectedStay1764400200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "${SCHEDULING_SCHEMA}"."program_tracks" ADD COLUMN expected_stay_weeks integer`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "${SCHEDULING_SCHEMA}"."program_tracks" DROP COLUMN expected_stay_weeks`,
    );
  }
}
