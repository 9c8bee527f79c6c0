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

function problemsFor(env: NodeJS.ProcessEnv): Record<string, string[]> {
  try {
    loadConfig('example', ExampleConfig, env);
  } catch (error) {
    if (error instanceof ConfigError)
      return Object.fromEntries(error.problems.map((p) => [p.variable, p.problems]));
    throw error;
  }
  throw new Error('expected a ConfigError');
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
    const error = (() => {
      try {
        return loadConfig('example', ExampleConfig, { ...valid, DATABASE_URL: 'mysql://user:hunter2@db/x' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('Invalid configuration for example');
    expect((error as Error).message).not.toContain('hunter2');
  });
});
