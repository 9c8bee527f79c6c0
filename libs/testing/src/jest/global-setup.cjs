// Jest globalSetup for integration tests: make sure Postgres, Redis and Kafka run (starting what is missing,
// reusing what runs) and hand their addresses to the test workers through the environment. It shells out to
// the infrastructure tool because globalSetup runs outside Jest's module mapping.
const { spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  const root = join(__dirname, '../../../..');
  const result = spawnSync(
    process.execPath,
    [
      require.resolve('tsx/cli', { paths: [root] }),
      '--tsconfig',
      'tsconfig.scripts.json',
      'tools/infra/src/main.ts',
      'up',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`Could not start the infrastructure:\n${result.stdout}\n${result.stderr}`);
  }
  const env = JSON.parse(readFileSync(join(root, '.infra/env.json'), 'utf8'));
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
};
