import { SERVICE_NAMES, type ConsoleServerOptions, type ServiceName } from './console-server';

/** sysexits(3) EX_CONFIG, as the services exit: an orchestrator tells "misconfigured" from "crashed". */
export const EXIT_CONFIG = 78;

/** The console server's settings, read once at start (docs/console.md lists the variables). */
export interface ConsoleConfig {
  readonly host: string;
  readonly port: number;
  readonly server: ConsoleServerOptions;
}

export interface ConsoleConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

export class ConsoleConfigError extends Error {
  constructor(readonly problems: readonly ConsoleConfigProblem[]) {
    super(
      'Invalid configuration for console:\n' +
        problems.map((p) => `  - ${p.variable}: ${p.problem}`).join('\n'),
    );
    this.name = 'ConsoleConfigError';
  }
}

/** The variable naming a service's base URL, e.g. `SESSIONS_URL`. */
export const serviceUrlVariable = (service: ServiceName): string => `${service.toUpperCase()}_URL`;

/** Every variable the console server reads. */
export const CONSOLE_VARIABLES: readonly string[] = [
  'NODE_ENV',
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
  'CONSOLE_HOST',
  'CONSOLE_PORT',
  'CONSOLE_PUBLIC_DIR',
  'CONSOLE_HTTPS',
  ...SERVICE_NAMES.map(serviceUrlVariable),
];

/** Development defaults: the services as `npm run serve` starts them. Production names each one. */
const LOCAL_SERVICES: Readonly<Record<ServiceName, string>> = {
  intake: 'http://127.0.0.1:3001',
  scheduling: 'http://127.0.0.1:3002',
  sessions: 'http://127.0.0.1:3003',
  notifications: 'http://127.0.0.1:3004',
};

/**
 * Reads and checks the environment, reporting every bad variable at once (by name and rule, never its value).
 * In production (NODE_ENV=production, as the image sets it) the services' addresses have no default: a
 * forgotten one would otherwise send staff requests to 127.0.0.1 inside the container.
 */
export function loadConsoleConfig(
  env: Readonly<Record<string, string | undefined>>,
  defaultPublicDir: string,
): ConsoleConfig {
  const problems: ConsoleConfigProblem[] = [];
  const production = env['NODE_ENV'] === 'production';
  const value = (name: string, fallback?: string): string => {
    const raw = env[name];
    if (raw !== undefined && raw.trim() !== '') return raw.trim();
    if (fallback === undefined) problems.push({ variable: name, problem: 'is required' });
    return fallback ?? '';
  };
  const url = (name: string, fallback: string | undefined, originOnly: boolean): string => {
    const text = value(name, fallback);
    if (text === '') return text;
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      problems.push({ variable: name, problem: 'must be an absolute http(s) URL' });
      return text;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      problems.push({ variable: name, problem: 'must be an absolute http(s) URL' });
    else if (parsed.username !== '' || parsed.password !== '')
      problems.push({ variable: name, problem: 'must not carry credentials' });
    // Forwarding resolves `/v1/…` against it, which would drop a path silently.
    else if (originOnly && (parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== ''))
      problems.push({ variable: name, problem: 'must be an origin (scheme, host, port) without a path' });
    return text;
  };

  const issuer = url('OIDC_ISSUER', undefined, false);
  const clientId = value('OIDC_CLIENT_ID', 'stepwise-console');
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(clientId))
    problems.push({ variable: 'OIDC_CLIENT_ID', problem: 'must be a client id ([A-Za-z0-9._:-], 1–128)' });
  const services = Object.fromEntries(
    SERVICE_NAMES.map((service) => [
      service,
      url(serviceUrlVariable(service), production ? undefined : LOCAL_SERVICES[service], true),
    ]),
  ) as Record<ServiceName, string>;
  const portText = value('CONSOLE_PORT', '4173');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65_535)
    problems.push({ variable: 'CONSOLE_PORT', problem: 'must be a port number (1–65535)' });
  const host = value('CONSOLE_HOST', '127.0.0.1');
  const https = value('CONSOLE_HTTPS', 'false');
  if (https !== 'true' && https !== 'false')
    problems.push({ variable: 'CONSOLE_HTTPS', problem: 'must be true or false' });

  if (problems.length > 0) throw new ConsoleConfigError(problems);
  return {
    host,
    port,
    server: {
      publicDir: value('CONSOLE_PUBLIC_DIR', defaultPublicDir),
      issuer,
      clientId,
      services,
      https: https === 'true',
    },
  };
}
