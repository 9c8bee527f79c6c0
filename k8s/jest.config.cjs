// The manifests' tests: render every overlay with `kubectl kustomize`, validate every object, check what no
// schema checks. No cluster and no network: kubectl renders offline.
module.exports = {
  displayName: 'k8s',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../coverage/k8s',
  // Rendering three overlays and starting the ESM schema validator takes a few seconds on two busy cores.
  testTimeout: 60_000,
};
