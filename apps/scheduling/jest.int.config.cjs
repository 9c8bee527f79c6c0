// Integration tests: real Postgres, Kafka and Redis from the environment (see tools/infra).
module.exports = {
  displayName: 'scheduling:integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  // Nothing under src/testing/ is a spec: fixtures and fakes only (no test there may run by its name).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/testing/'],
  testTimeout: 60000,
  globalSetup: '../../libs/testing/src/jest/global-setup.cjs',
  globalTeardown: '../../libs/testing/src/jest/global-teardown.cjs',
};
