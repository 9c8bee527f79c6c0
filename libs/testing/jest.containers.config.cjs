// The container path (`npm run test:containers`): PostgreSQL and Redis started by testcontainers.
module.exports = {
  displayName: 'testing:containers',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.containers-spec.ts'],
  testTimeout: 180000,
};
