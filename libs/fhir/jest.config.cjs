// Unit tests: fast, no infrastructure.
module.exports = {
  displayName: 'fhir',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/fhir',
};
