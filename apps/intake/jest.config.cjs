// Unit tests: fast, no infrastructure.
module.exports = {
  displayName: 'intake',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/intake',
};
