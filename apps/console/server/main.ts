import { join } from 'node:path';
import { createConsoleServer } from './console-server';
import {
  CONSOLE_VARIABLES,
  type ConsoleConfig,
  ConsoleConfigError,
  EXIT_CONFIG,
  loadConsoleConfig,
} from './config';

/**
 * Starts the console's server from the environment (docs/console.md lists the variables). A bad variable ends
 * the process with EXIT_CONFIG and a message naming it, as the services do. The build puts this file beside
 * the app's `public/` (dist/apps/console/main.js), so the image runs it as it runs a service: SERVICE=console.
 * `check-config` checks the environment and exits without serving (0, or 78 naming each bad variable).
 */
function configuration(): ConsoleConfig {
  try {
    return loadConsoleConfig(process.env, join(__dirname, 'public'));
  } catch (error) {
    if (!(error instanceof ConsoleConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(EXIT_CONFIG);
  }
}

function main(): void {
  const config = configuration();
  const { host, port } = config;
  // `main.js check-config`: the environment is valid (else exit 78 above); tells the port and the variables
  // read (the compose file's check in libs/testing), without serving.
  if (process.argv[2] === 'check-config') {
    process.stdout.write(`${JSON.stringify({ port, variables: CONSOLE_VARIABLES })}\n`);
    return;
  }
  const server = createConsoleServer(config.server);
  server.listen(port, host, () => {
    process.stdout.write(`Console listening on http://${host}:${port}\n`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
