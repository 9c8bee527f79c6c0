// The container path (`npm run test:containers`): PostgreSQL, Redis and Kafka started by testcontainers.
// Long budget: starting a JVM broker on two loaded cores took minutes here.
module.exports = {
  displayName: 'testing:containers',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.containers-spec.ts'],
  testTimeout: 900000,
};
