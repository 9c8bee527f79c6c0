// Unit tests: fast, no infrastructure.
module.exports = {
  displayName: 'notifications',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/notifications',
};
