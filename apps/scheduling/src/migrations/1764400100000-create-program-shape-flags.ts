import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

/** Planned weeks that break their level's program shape (days per week, upper bound): once per episode and week. */
export class CreateProgramShapeFlags1764400100000 implements MigrationInterface {
  name = 'CreateProgramShapeFlags1764400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "${SCHEDULING_SCHEMA}"."program_shape_flags" (
        episode_id      uuid    NOT NULL,
        week_start      date    NOT NULL,
        planned_minutes integer NOT NULL,
        planned_days    integer NOT NULL,
        breaches        text[]  NOT NULL,
        rule_set_id     text    NOT NULL,
        PRIMARY KEY (episode_id, week_start)
      )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${SCHEDULING_SCHEMA}"."program_shape_flags"`);
  }
}
