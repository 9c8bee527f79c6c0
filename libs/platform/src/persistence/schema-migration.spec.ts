import { type QueryRunner } from 'typeorm';
import { migrationTimestamp, schemaMigration } from './schema-migration';

describe('schemaMigration', () => {
  const calls: string[] = [];
  const runner = {} as QueryRunner;
  const Migration = schemaMigration('CreateThings1760000000000', 'scheduling', {
    up: async (_runner, schema) => {
      calls.push(`up ${schema}`);
    },
    down: async (_runner, schema) => {
      calls.push(`down ${schema}`);
    },
  });

  it('records the given name, which TypeORM keeps in the migrations table', () => {
    expect(new Migration().name).toBe('CreateThings1760000000000');
    expect(Migration.name).toBe('CreateThings1760000000000');
    expect(migrationTimestamp(Migration.name)).toBe(1760000000000);
  });

  it('runs the library steps in the schema it was bound to, both ways', async () => {
    const migration = new Migration();
    await migration.up(runner);
    await migration.down(runner);
    expect(calls).toEqual(['up scheduling', 'down scheduling']);
  });

  it.each(['createThings1760000000000', 'CreateThings', 'CreateThings176000000000'])(
    'refuses the name %s, which TypeORM could not order',
    (name) => {
      expect(() =>
        schemaMigration(name, 'intake', { up: () => Promise.resolve(), down: () => Promise.resolve() }),
      ).toThrow(/13-digit timestamp/);
    },
  );
});
