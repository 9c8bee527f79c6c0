// Jest globalTeardown for integration tests: on the container path, ends the process global-setup.cjs left
// running (closing its stdin), which stops the containers; waits until it has.
module.exports = async function globalTeardown() {
  const child = globalThis.__stepwiseTestInfra;
  if (child === undefined || child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.stdin.end();
  });
};
