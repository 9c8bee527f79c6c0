// Unit tests: fast, no infrastructure.
module.exports = {
  displayName: 'care-rules',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/care-rules',
};
