import { securityMigrations } from './migrations';

describe('securityMigrations', () => {
  it('keeps the name every deployed schema has recorded', () => {
    expect(securityMigrations('intake').map((Migration) => new Migration().name)).toEqual([
      'CreateSecurityTables1763900000000',
      'CreateEmergencyAccessGrants1764950000000',
    ]);
  });
});
