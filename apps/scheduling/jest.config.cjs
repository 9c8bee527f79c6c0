// Unit tests: fast, no infrastructure.
module.exports = {
  displayName: 'scheduling',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/scheduling',
};
