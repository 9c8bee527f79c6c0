// Jest globalSetup for integration tests: make sure Postgres, Redis and Kafka run and hand their addresses to
// the test workers through the environment. `STEPWISE_TEST_INFRA=containers|local` chooses where they come from
// (unset: containers when a container engine answers, else the local processes); test-infra.main.ts does
// the work in a process of its own, because globalSetup runs outside Jest's module mapping. With containers
// that process stays up for the run and global-teardown.cjs ends it (which stops the containers).
const { spawn } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  const root = join(__dirname, '../../../..');
  const child = spawn(
    process.execPath,
    [
      require.resolve('tsx/cli', { paths: [root] }),
      '--tsconfig',
      'tsconfig.scripts.json',
      'libs/testing/src/jest/test-infra.main.ts',
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const { infra, env } = await new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const end = stdout.indexOf('\n');
      if (end >= 0) resolve(JSON.parse(stdout.slice(0, end)));
    });
    child.once('exit', (code) =>
      reject(new Error(`Could not start the infrastructure (exit ${code}):\n${stdout}\n${stderr}`)),
    );
  });
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
  if (infra === 'containers') {
    // The containers' process now only waits for its stdin to close; its output is not needed any more.
    child.stderr.resume();
    globalThis.__stepwiseTestInfra = child;
    console.log(
      `\nIntegration infrastructure: containers (PostgreSQL ${new URL(env.POSTGRES_ADMIN_URL).host}, ` +
        `Redis ${new URL(env.REDIS_URL).host}, Kafka ${env.KAFKA_BROKERS})`,
    );
  }
};
