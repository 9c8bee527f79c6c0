import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSecurity } from './kafka-security';
import { ConfigError, loadConfig } from './load-config';
import { ServiceConfig } from './service-config';

class ExampleConfig extends ServiceConfig {
  override PORT = 3999;
}

const valid = {
  DATABASE_URL: 'postgres://app:secret@db.internal:5432/stepwise',
  KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092',
  REDIS_URL: 'redis://cache:6379',
  AUTH_ISSUER: 'https://login.example.org/realms/stepwise',
  AUTH_JWKS_URL: 'https://login.example.org/realms/stepwise/protocol/openid-connect/certs',
};

function errorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig('example', ExampleConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function problemsFor(env: NodeJS.ProcessEnv): Record<string, string[]> {
  return Object.fromEntries(errorFor(env).problems.map((p) => [p.variable, p.problems]));
}

describe(loadConfig.name, () => {
  it('reads the declared variables, applies defaults and parses the broker list', () => {
    const config = loadConfig('example', ExampleConfig, { ...valid, UNRELATED: 'ignored' });
    expect(config).toBeInstanceOf(ExampleConfig);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3999,
      DATABASE_POOL_SIZE: 10,
      KAFKA_BROKERS: ['kafka-0:9092', 'kafka-1:9092'],
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 20_000,
      AUTH_AUDIENCE: 'stepwise',
      AUTH_CLOCK_SKEW_SECONDS: 30,
      HTTP_BODY_LIMIT_KB: 100,
      CORS_ORIGINS: [],
      RATE_LIMIT_REQUESTS: 300,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      IDEMPOTENCY_TTL_HOURS: 24,
    });
    expect(config).not.toHaveProperty('UNRELATED');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('converts numeric variables and treats an empty value as unset', () => {
    expect(
      loadConfig('example', ExampleConfig, { ...valid, PORT: '8080', DATABASE_POOL_SIZE: '' }),
    ).toMatchObject({
      PORT: 8080,
      DATABASE_POOL_SIZE: 10,
    });
  });

  it('reads a list of CORS origins', () => {
    expect(
      loadConfig('example', ExampleConfig, {
        ...valid,
        CORS_ORIGINS: 'https://staff.example.org, http://localhost:4200',
      }).CORS_ORIGINS,
    ).toEqual(['https://staff.example.org', 'http://localhost:4200']);
  });

  it('names every missing required variable once', () => {
    expect(problemsFor({})).toEqual({
      DATABASE_URL: ['DATABASE_URL is required'],
      KAFKA_BROKERS: ['KAFKA_BROKERS is required'],
      REDIS_URL: ['REDIS_URL is required'],
      AUTH_ISSUER: ['AUTH_ISSUER is required'],
      AUTH_JWKS_URL: ['AUTH_JWKS_URL is required'],
    });
  });

  it.each([
    ['PORT', '12.5', 'PORT must be an integer'],
    ['PORT', '70000', 'PORT must be between 1 and 65535'],
    ['PORT', '0', 'PORT must be between 1 and 65535'],
    ['DATABASE_URL', 'mysql://x/y', 'DATABASE_URL must be a postgres://user:password@host:port/database URL'],
    [
      'DATABASE_MIGRATION_URL',
      'postgres://nohostdb',
      'DATABASE_MIGRATION_URL must be a postgres://user:password@host:port/database URL',
    ],
    ['KAFKA_BROKERS', 'kafka-0', 'KAFKA_BROKERS must be a comma-separated list of host:port'],
    ['REDIS_URL', 'http://cache', 'REDIS_URL must be a redis:// or rediss:// URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace'],
    ['NODE_ENV', 'staging', 'NODE_ENV must be one of development, test, production'],
    ['DATABASE_POOL_SIZE', '0', 'DATABASE_POOL_SIZE must be at least 1'],
    ['SHUTDOWN_TIMEOUT_MS', '-1', 'SHUTDOWN_TIMEOUT_MS must not be negative'],
    ['AUTH_ISSUER', 'login.example.org', 'AUTH_ISSUER must be an http:// or https:// URL'],
    ['AUTH_JWKS_URL', 'file:///keys.json', 'AUTH_JWKS_URL must be an http:// or https:// URL'],
    ['AUTH_AUDIENCE', 'two words', 'AUTH_AUDIENCE must be a non-empty word without spaces'],
    ['AUTH_CLOCK_SKEW_SECONDS', '3600', 'AUTH_CLOCK_SKEW_SECONDS must be between 0 and 300'],
    ['HTTP_BODY_LIMIT_KB', '0', 'HTTP_BODY_LIMIT_KB must be between 1 and 10240'],
    [
      'CORS_ORIGINS',
      'https://app.example.org/path',
      'CORS_ORIGINS must be a comma-separated list of http(s) origins',
    ],
    ['RATE_LIMIT_REQUESTS', '0', 'RATE_LIMIT_REQUESTS must be at least 1'],
    ['RATE_LIMIT_WINDOW_SECONDS', '0', 'RATE_LIMIT_WINDOW_SECONDS must be between 1 and 3600'],
    ['IDEMPOTENCY_TTL_HOURS', '0', 'IDEMPOTENCY_TTL_HOURS must be between 1 and 720'],
  ])('rejects %s=%s with "%s"', (variable, value, message) => {
    expect(problemsFor({ ...valid, [variable]: value })).toEqual({ [variable]: [message] });
  });

  it('never repeats a secret value in its message', () => {
    const error = errorFor({ ...valid, DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expect(error.message).toContain('Invalid configuration for example');
    expect(error.message).not.toContain('hunter2');
  });
});

// Not a real certificate: the configuration checks that the file holds a PEM certificate block, and TLS
// itself (a real CA against a real broker) is proved by the SASL_SSL integration test of libs/messaging.
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
const PASSWORD = 'correct-horse-battery-staple';

describe('Kafka TLS and SASL configuration', () => {
  let dir: string;
  let caFile: string;
  let passwordFile: string;
  let secured: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-security-spec-'));
    caFile = join(dir, 'ca.pem');
    passwordFile = join(dir, 'password');
    writeFileSync(caFile, PEM);
    writeFileSync(passwordFile, `${PASSWORD}\n`);
    secured = {
      ...valid,
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'stepwise-intake',
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  const without = (env: NodeJS.ProcessEnv, ...names: string[]): NodeJS.ProcessEnv =>
    Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));

  it('is plaintext without authentication when nothing is set (local development)', () => {
    const config = loadConfig('example', ExampleConfig, valid);
    expect(config.KAFKA_SSL_SYSTEM_CA).toBe(false);
    expect(kafkaSecurity(config)).toBeUndefined();
  });

  it('trusts the CA file and reads the password file without its final line break', () => {
    expect(kafkaSecurity(loadConfig('example', ExampleConfig, secured))).toEqual({
      tls: { ca: PEM },
      sasl: { mechanism: 'scram-sha-512', username: 'stepwise-intake', password: PASSWORD },
    });
  });

  it('takes the password from KAFKA_SASL_PASSWORD, scram-sha-256, and a mechanism in capitals', () => {
    const config = loadConfig('example', ExampleConfig, {
      ...without(secured, 'KAFKA_SASL_PASSWORD_FILE'),
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    expect(kafkaSecurity(config)?.sasl).toEqual({
      mechanism: 'scram-sha-256',
      username: 'stepwise-intake',
      password: PASSWORD,
    });
  });

  it('uses TLS with the system CAs only when KAFKA_SSL_SYSTEM_CA=true says so', () => {
    const config = loadConfig('example', ExampleConfig, {
      ...without(secured, 'KAFKA_SSL_CA_FILE'),
      KAFKA_SSL_SYSTEM_CA: 'true',
    });
    expect(kafkaSecurity(config)?.tls).toEqual({});
    expect(
      kafkaSecurity(loadConfig('example', ExampleConfig, { ...valid, KAFKA_SSL_CA_FILE: caFile })),
    ).toEqual({
      tls: { ca: PEM },
    });
  });

  it('accepts plain over TLS', () => {
    const config = loadConfig('example', ExampleConfig, { ...secured, KAFKA_SASL_MECHANISM: 'plain' });
    expect(kafkaSecurity(config)?.sasl?.mechanism).toBe('plain');
  });

  it.each<[string, () => NodeJS.ProcessEnv, Record<string, string[]>]>([
    [
      'a CA file that does not exist',
      () => ({ ...secured, KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') }),
      { KAFKA_SSL_CA_FILE: ['KAFKA_SSL_CA_FILE must name a readable file holding PEM certificates'] },
    ],
    [
      'a CA file without a PEM certificate',
      () => ({ ...secured, KAFKA_SSL_CA_FILE: write('not-pem.txt', 'MIIBszCCAVmgAwIBAgIU') }),
      { KAFKA_SSL_CA_FILE: ['KAFKA_SSL_CA_FILE must name a readable file holding PEM certificates'] },
    ],
    [
      'a folder as the CA file',
      () => ({ ...secured, KAFKA_SSL_CA_FILE: dir }),
      { KAFKA_SSL_CA_FILE: ['KAFKA_SSL_CA_FILE must name a readable file holding PEM certificates'] },
    ],
    [
      'KAFKA_SSL_SYSTEM_CA that is not a boolean',
      () => ({ ...valid, KAFKA_SSL_SYSTEM_CA: 'yes' }),
      { KAFKA_SSL_SYSTEM_CA: ['KAFKA_SSL_SYSTEM_CA must be true or false'] },
    ],
    [
      'both a CA file and the system CAs',
      () => ({ ...secured, KAFKA_SSL_SYSTEM_CA: 'true' }),
      {
        KAFKA_SSL_SYSTEM_CA: [
          'KAFKA_SSL_SYSTEM_CA=true and KAFKA_SSL_CA_FILE exclude each other: trust either the file or the system CAs',
        ],
      },
    ],
    [
      'an unknown mechanism',
      () => ({ ...secured, KAFKA_SASL_MECHANISM: 'gssapi' }),
      { KAFKA_SASL_MECHANISM: ['KAFKA_SASL_MECHANISM must be one of scram-sha-512, scram-sha-256, plain'] },
    ],
    [
      'SCRAM without TLS',
      () => without(secured, 'KAFKA_SSL_CA_FILE'),
      {
        KAFKA_SASL_MECHANISM: [
          'KAFKA_SASL_MECHANISM needs TLS: set KAFKA_SSL_CA_FILE (or KAFKA_SSL_SYSTEM_CA=true for a publicly signed broker)',
        ],
      },
    ],
    [
      'plain without TLS (the password would cross in clear)',
      () => ({ ...without(secured, 'KAFKA_SSL_CA_FILE'), KAFKA_SASL_MECHANISM: 'plain' }),
      {
        KAFKA_SASL_MECHANISM: [
          'KAFKA_SASL_MECHANISM needs TLS: set KAFKA_SSL_CA_FILE (or KAFKA_SSL_SYSTEM_CA=true for a publicly signed broker)',
        ],
      },
    ],
    [
      'a mechanism without a username',
      () => without(secured, 'KAFKA_SASL_USERNAME'),
      { KAFKA_SASL_USERNAME: ['KAFKA_SASL_MECHANISM is set, so KAFKA_SASL_USERNAME is required'] },
    ],
    [
      'a username without a mechanism',
      () => without(secured, 'KAFKA_SASL_MECHANISM'),
      {
        KAFKA_SASL_USERNAME: ['KAFKA_SASL_USERNAME needs KAFKA_SASL_MECHANISM'],
        KAFKA_SASL_PASSWORD_FILE: ['KAFKA_SASL_PASSWORD_FILE needs KAFKA_SASL_MECHANISM'],
      },
    ],
    [
      'a username without a password',
      () => without(secured, 'KAFKA_SASL_PASSWORD_FILE'),
      {
        KAFKA_SASL_PASSWORD_FILE: [
          'KAFKA_SASL_MECHANISM is set, so KAFKA_SASL_PASSWORD_FILE (or KAFKA_SASL_PASSWORD) is required',
        ],
      },
    ],
    [
      'a password file that does not exist',
      () => ({ ...secured, KAFKA_SASL_PASSWORD_FILE: join(dir, 'missing') }),
      { KAFKA_SASL_PASSWORD_FILE: ['KAFKA_SASL_PASSWORD_FILE must name a readable, non-empty file'] },
    ],
    [
      'an empty password file (only a line break)',
      () => ({ ...secured, KAFKA_SASL_PASSWORD_FILE: write('empty-password', '\n') }),
      { KAFKA_SASL_PASSWORD_FILE: ['KAFKA_SASL_PASSWORD_FILE must name a readable, non-empty file'] },
    ],
    [
      'both password sources',
      () => ({ ...secured, KAFKA_SASL_PASSWORD: PASSWORD }),
      {
        KAFKA_SASL_PASSWORD: ['KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE exclude each other: set one'],
      },
    ],
    [
      'a password without a mechanism',
      () => ({ ...valid, KAFKA_SSL_CA_FILE: caFile, KAFKA_SASL_PASSWORD: PASSWORD }),
      { KAFKA_SASL_PASSWORD: ['KAFKA_SASL_PASSWORD needs KAFKA_SASL_MECHANISM'] },
    ],
  ])('refuses %s, naming the variable', (_case, env, problems) => {
    expect(problemsFor(env())).toEqual(problems);
  });

  it('never repeats the password in its message', () => {
    const error = errorFor({
      ...without(secured, 'KAFKA_SSL_CA_FILE', 'KAFKA_SASL_PASSWORD_FILE'),
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    expect(error.message).toContain('KAFKA_SASL_MECHANISM needs TLS');
    expect(error.message).not.toContain(PASSWORD);
  });
});
