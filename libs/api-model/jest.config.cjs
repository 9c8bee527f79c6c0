// Unit tests: fast, no infrastructure.
module.exports = {
  displayName: 'api-model',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/api-model',
};
