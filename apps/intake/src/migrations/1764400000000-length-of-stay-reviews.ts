import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The review queue also holds the reviews due when an episode reaches its expected length of stay. */
export class LengthOfStayReviews1764400000000 implements MigrationInterface {
  name = 'LengthOfStayReviews1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE intake.reviews DROP CONSTRAINT reviews_direction_check`);
    await queryRunner.query(
      `ALTER TABLE intake.reviews ADD CONSTRAINT reviews_direction_check
         CHECK (direction IN ('step-down', 'step-up', 'length-of-stay'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE intake.reviews DROP CONSTRAINT reviews_direction_check`);
    await queryRunner.query(
      `ALTER TABLE intake.reviews ADD CONSTRAINT reviews_direction_check CHECK (direction IN ('step-down', 'step-up'))`,
    );
  }
}
