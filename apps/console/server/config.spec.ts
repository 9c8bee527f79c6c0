// @vitest-environment node
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleConfigError, EXIT_CONFIG, loadConsoleConfig } from './config';

const production = {
  NODE_ENV: 'production',
  OIDC_ISSUER: 'https://id.example.org/realms/stepwise',
  INTAKE_URL: 'http://intake:3001',
  SCHEDULING_URL: 'http://scheduling:3002',
  SESSIONS_URL: 'http://sessions:3003',
  NOTIFICATIONS_URL: 'http://notifications:3004',
  CONSOLE_HOST: '0.0.0.0',
  CONSOLE_PORT: '4173',
};

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConsoleConfig(env, '/srv/public');
    return [];
  } catch (error) {
    if (!(error instanceof ConsoleConfigError)) throw error;
    return error.problems.map((p) => `${p.variable}: ${p.problem}`);
  }
};

describe('the console server’s configuration', () => {
  it('reads a production environment', () => {
    const config = loadConsoleConfig(production, '/srv/public');
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 4173,
      server: {
        publicDir: '/srv/public',
        issuer: 'https://id.example.org/realms/stepwise',
        clientId: 'stepwise-console',
        services: {
          intake: 'http://intake:3001',
          scheduling: 'http://scheduling:3002',
          sessions: 'http://sessions:3003',
          notifications: 'http://notifications:3004',
        },
        https: false,
      },
    });
  });

  it('defaults the services to the local ones outside production only', () => {
    const local = loadConsoleConfig({ OIDC_ISSUER: 'http://127.0.0.1:8180/realms/stepwise' }, '/p');
    expect(local.server.services.sessions).toBe('http://127.0.0.1:3003');
    expect(local.port).toBe(4173);
    expect(problemsOf({ ...production, SESSIONS_URL: '' })).toEqual(['SESSIONS_URL: is required']);
  });

  it('names every bad variable at once, never its value', () => {
    const problems = problemsOf({
      ...production,
      OIDC_ISSUER: 'not a url',
      OIDC_CLIENT_ID: 'console client',
      INTAKE_URL: 'http://intake:3001/v1',
      SCHEDULING_URL: 'ftp://scheduling',
      NOTIFICATIONS_URL: 'http://user:secret-value@notifications:3004',
      CONSOLE_PORT: '70000',
      CONSOLE_HTTPS: 'yes',
    });
    expect(problems).toEqual([
      'OIDC_ISSUER: must be an absolute http(s) URL',
      'OIDC_CLIENT_ID: must be a client id ([A-Za-z0-9._:-], 1–128)',
      'INTAKE_URL: must be an origin (scheme, host, port) without a path',
      'SCHEDULING_URL: must be an absolute http(s) URL',
      'NOTIFICATIONS_URL: must not carry credentials',
      'CONSOLE_PORT: must be a port number (1–65535)',
      'CONSOLE_HTTPS: must be true or false',
    ]);
    expect(problems.join('\n')).not.toContain('secret-value');
  });

  it('ends the process with 78 and the variable named when the configuration is bad', () => {
    const tsx = join(__dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const run = spawnSync(process.execPath, [tsx, join(__dirname, 'main.ts')], {
      env: { PATH: process.env['PATH'], NODE_ENV: 'production', OIDC_ISSUER: production.OIDC_ISSUER },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(EXIT_CONFIG);
    expect(run.stderr).toContain('Invalid configuration for console:');
    expect(run.stderr).toContain('  - INTAKE_URL: is required');
  });
});
