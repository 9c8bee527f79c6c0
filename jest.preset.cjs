// Shared Jest settings. Type-checking is the `typecheck` target's job (tsc --noEmit), so ts-jest only
// transpiles here (isolatedModules in tsconfig.base.json): that keeps the suite fast on two cores without hiding type errors.
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageReporters: ['text-summary', 'lcov'],
};
