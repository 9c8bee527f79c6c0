// Integration tests: real Postgres, Kafka and Redis from the environment (see tools/infra).
module.exports = {
  displayName: 'scheduling:integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  // Shared fixtures of the integration specs: named like them (test-only imports), holding no tests.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/testing/'],
  testTimeout: 60000,
  globalSetup: '../../libs/testing/src/jest/global-setup.cjs',
};
