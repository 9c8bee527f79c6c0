import { join } from 'node:path';
import { createConsoleServer, SERVICE_NAMES, type ServiceName } from './console-server';

/** Starts the console's server from the environment (docs/console.md lists the variables). */
function main(): void {
  const env = (name: string, fallback?: string): string => {
    const value = process.env[name] ?? fallback;
    if (value === undefined || value === '') throw new Error(`${name} is not set`);
    return value;
  };
  const defaults: Record<ServiceName, string> = {
    intake: 'http://127.0.0.1:3001',
    scheduling: 'http://127.0.0.1:3002',
    sessions: 'http://127.0.0.1:3003',
    notifications: 'http://127.0.0.1:3004',
  };
  const services = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, env(`${name.toUpperCase()}_URL`, defaults[name])]),
  ) as Record<ServiceName, string>;
  const port = Number(env('CONSOLE_PORT', '4280'));
  const host = env('CONSOLE_HOST', '127.0.0.1');
  const server = createConsoleServer({
    publicDir: env('CONSOLE_PUBLIC_DIR', join(__dirname, '..', 'public')),
    issuer: env('OIDC_ISSUER'),
    clientId: env('OIDC_CLIENT_ID', 'stepwise-console'),
    services,
    https: process.env['CONSOLE_HTTPS'] === 'true',
  });
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
