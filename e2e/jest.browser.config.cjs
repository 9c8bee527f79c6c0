// Browser tests of the staff console (apps/console): Debian's Chromium through playwright-core, against the
// real services, Postgres, Kafka, Redis and Keycloak (see tools/infra).
module.exports = {
  displayName: 'e2e:browser',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.browser-spec.ts'],
  testTimeout: 180000,
  globalSetup: '../libs/testing/src/jest/global-setup.cjs',
};
