// Integration tests: real Postgres from the environment (see tools/infra).
module.exports = {
  displayName: 'platform:integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
  globalSetup: '../../libs/testing/src/jest/global-setup.cjs',
  globalTeardown: '../../libs/testing/src/jest/global-teardown.cjs',
};
