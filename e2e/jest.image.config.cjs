// The service image's checks (`npm run test:image`, which builds the image first): podman runs the image
// against the real Postgres, Kafka, Redis and identity of tools/infra.
module.exports = {
  displayName: 'e2e:image',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.image-spec.ts'],
  testTimeout: 300000,
  globalSetup: '../libs/testing/src/jest/global-setup.cjs',
};
