import { Expose, Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  HTTP_URL,
  IsPemCertificateFile,
  Requires,
  SecretFile,
  type SecretSourceRule,
  SecretValue,
} from './config-rules';
import { TracingConfig } from './tracing-config';
import { KAFKA_SASL_MECHANISMS, type KafkaSaslMechanism } from './kafka-security';

const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s/]+\/[^\s/?]+(\?\S*)?$/;
const REDIS_URL = /^rediss?:\/\/\S+$/;
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const ORIGIN = /^https?:\/\/[^\s/]+$/;

/** The Kafka SASL password: a file or the value, required with a mechanism and allowed only with one. */
const KAFKA_SASL_PASSWORD: SecretSourceRule<{ KAFKA_SASL_MECHANISM?: string }> = {
  name: 'KAFKA_SASL_PASSWORD',
  required: {
    when: (config) => config.KAFKA_SASL_MECHANISM !== undefined,
    message: 'KAFKA_SASL_MECHANISM is set, so KAFKA_SASL_PASSWORD_FILE (or KAFKA_SASL_PASSWORD) is required',
  },
  allowed: {
    when: (config) => config.KAFKA_SASL_MECHANISM !== undefined,
    message: 'needs KAFKA_SASL_MECHANISM',
  },
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The variables every service shares (architecture.md, "Configuration"). A service extends this class,
 * sets its own PORT default and adds what only it needs. Keep each app's `.env.example` in step: a test
 * compares them. The tracing variables (`OTEL_*`) are inherited: the tracing preload reads them on their own,
 * before anything else loads, and they are validated here with every other variable.
 */
export class ServiceConfig extends TracingConfig {
  @Expose()
  @IsIn(['development', 'test', 'production'], {
    message: 'NODE_ENV must be one of development, test, production',
  })
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Expose()
  @IsDefined({ message: 'PORT is required' })
  @Type(() => Number)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(1, { message: 'PORT must be between 1 and 65535' })
  @Max(65535, { message: 'PORT must be between 1 and 65535' })
  PORT!: number;

  /** The application role: data access only, no DDL. */
  @Expose()
  @IsDefined({ message: 'DATABASE_URL is required' })
  @Matches(POSTGRES_URL, {
    message: 'DATABASE_URL must be a postgres://user:password@host:port/database URL',
  })
  DATABASE_URL!: string;

  /** The schema owner role, used only by the `migrate` command. */
  @Expose()
  @IsOptional()
  @Matches(POSTGRES_URL, {
    message: 'DATABASE_MIGRATION_URL must be a postgres://user:password@host:port/database URL',
  })
  DATABASE_MIGRATION_URL?: string;

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be at least 1' })
  @Max(200, { message: 'DATABASE_POOL_SIZE must be at most 200' })
  DATABASE_POOL_SIZE = 10;

  @Expose()
  @IsDefined({ message: 'KAFKA_BROKERS is required' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((broker) => broker.trim())
          .filter(Boolean)
      : value,
  )
  @ArrayMinSize(1, { message: 'KAFKA_BROKERS must list at least one host:port' })
  @Matches(HOST_PORT, { each: true, message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS!: string[];

  /**
   * Prepended to every topic this service reads and writes. Empty in production; tests and side-by-side
   * environments on one cluster use it to keep their records apart.
   */
  @Expose()
  @Matches(/^[A-Za-z0-9._-]*$/, {
    message: 'KAFKA_TOPIC_PREFIX may contain only letters, digits, ".", "_" and "-"',
  })
  KAFKA_TOPIC_PREFIX = '';

  /**
   * PEM file of the certificate authorities that signed the brokers' certificates. Setting it turns TLS on
   * and trusts these authorities only (a private cluster CA, e.g. Strimzi's `<cluster>-cluster-ca-cert`).
   */
  @Expose()
  @IsOptional()
  @IsPemCertificateFile('KAFKA_SSL_CA_FILE must name a readable file holding PEM certificates')
  KAFKA_SSL_CA_FILE?: string;

  /**
   * TLS trusting the authorities Node.js ships with, for a managed broker whose certificate a public CA
   * signed. An explicit choice rather than the fallback of a missing CA file: with a private cluster CA a
   * forgotten file then fails at start-up instead of silently trusting every public CA.
   */
  @Expose()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'KAFKA_SSL_SYSTEM_CA must be true or false' })
  @Requires<ServiceConfig>(
    (config) => !config.KAFKA_SSL_SYSTEM_CA || config.KAFKA_SSL_CA_FILE === undefined,
    'KAFKA_SSL_SYSTEM_CA=true and KAFKA_SSL_CA_FILE exclude each other: trust either the file or the system CAs',
  )
  KAFKA_SSL_SYSTEM_CA = false;

  /** SASL authentication to the brokers; only over TLS, so neither a password nor the data crosses in clear. */
  @Expose()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsOptional()
  @IsIn(KAFKA_SASL_MECHANISMS, {
    message: `KAFKA_SASL_MECHANISM must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`,
  })
  @Requires<ServiceConfig>(
    (config) => config.KAFKA_SSL_CA_FILE !== undefined || config.KAFKA_SSL_SYSTEM_CA,
    'KAFKA_SASL_MECHANISM needs TLS: set KAFKA_SSL_CA_FILE (or KAFKA_SSL_SYSTEM_CA=true for a publicly signed broker)',
  )
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;

  @Expose()
  @ValidateIf(
    (config: ServiceConfig) =>
      config.KAFKA_SASL_MECHANISM !== undefined || config.KAFKA_SASL_USERNAME !== undefined,
  )
  @IsDefined({ message: 'KAFKA_SASL_MECHANISM is set, so KAFKA_SASL_USERNAME is required' })
  @Requires<ServiceConfig>(
    (config) => config.KAFKA_SASL_MECHANISM !== undefined,
    'KAFKA_SASL_USERNAME needs KAFKA_SASL_MECHANISM',
  )
  KAFKA_SASL_USERNAME?: string;

  /** The SASL password as a file (a mounted secret), preferred to KAFKA_SASL_PASSWORD. */
  @SecretFile(KAFKA_SASL_PASSWORD)
  KAFKA_SASL_PASSWORD_FILE?: string;

  @SecretValue(KAFKA_SASL_PASSWORD)
  KAFKA_SASL_PASSWORD?: string;

  /** Whether this replica consumes events (a one-off command such as dead-letter replay turns it off). */
  @Expose()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'CONSUMER_ENABLED must be true or false' })
  CONSUMER_ENABLED = true;

  /** Partitions this replica processes at the same time (records of one partition stay in order). */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'CONSUMER_CONCURRENCY must be an integer' })
  @Min(1, { message: 'CONSUMER_CONCURRENCY must be between 1 and 64' })
  @Max(64, { message: 'CONSUMER_CONCURRENCY must be between 1 and 64' })
  CONSUMER_CONCURRENCY = 4;

  /** Failed handler attempts (counted in the database) before a record goes to the dead-letter topic. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'CONSUMER_MAX_ATTEMPTS must be an integer' })
  @Min(1, { message: 'CONSUMER_MAX_ATTEMPTS must be between 1 and 100' })
  @Max(100, { message: 'CONSUMER_MAX_ATTEMPTS must be between 1 and 100' })
  CONSUMER_MAX_ATTEMPTS = 5;

  /**
   * How long the group waits for a silent member (a killed replica) before giving its partitions to the others:
   * the upper bound of the pause a crash causes on its partitions. Between the broker's group.min/max session
   * timeouts (6 s and 30 min by default); lower means faster failover and more rebalances under long GC pauses.
   */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'CONSUMER_SESSION_TIMEOUT_MS must be an integer' })
  @Min(6000, { message: 'CONSUMER_SESSION_TIMEOUT_MS must be between 6000 and 300000' })
  @Max(300_000, { message: 'CONSUMER_SESSION_TIMEOUT_MS must be between 6000 and 300000' })
  CONSUMER_SESSION_TIMEOUT_MS = 30_000;

  @Expose()
  @IsDefined({ message: 'REDIS_URL is required' })
  @Matches(REDIS_URL, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  @Expose()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** Whether this replica runs an outbox relay (one replica at a time holds its lease; the rest stand by). */
  @Expose()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'RELAY_ENABLED must be true or false' })
  RELAY_ENABLED = true;

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'RELAY_BATCH_SIZE must be an integer' })
  @Min(1, { message: 'RELAY_BATCH_SIZE must be between 1 and 10000' })
  @Max(10_000, { message: 'RELAY_BATCH_SIZE must be between 1 and 10000' })
  RELAY_BATCH_SIZE = 500;

  /** Safety-net poll of the outbox while idle; commits normally wake the relay at once (LISTEN/NOTIFY). */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'RELAY_POLL_INTERVAL_MS must be an integer' })
  @Min(10, { message: 'RELAY_POLL_INTERVAL_MS must be between 10 and 1000' })
  @Max(1_000, { message: 'RELAY_POLL_INTERVAL_MS must be between 10 and 1000' })
  RELAY_POLL_INTERVAL_MS = 250;

  /** How often a standby replica tries to take over the relay lease. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'RELAY_LEASE_RETRY_MS must be an integer' })
  @Min(100, { message: 'RELAY_LEASE_RETRY_MS must be between 100 and 30000' })
  @Max(30_000, { message: 'RELAY_LEASE_RETRY_MS must be between 100 and 30000' })
  RELAY_LEASE_RETRY_MS = 1_000;

  /** Published outbox rows are deleted after this many hours. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'OUTBOX_RETENTION_HOURS must be an integer' })
  @Min(1, { message: 'OUTBOX_RETENTION_HOURS must be at least 1' })
  OUTBOX_RETENTION_HOURS = 168;

  /** How long SIGTERM waits for in-flight work before the process gives up and exits. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be an integer' })
  @Min(0, { message: 'SHUTDOWN_TIMEOUT_MS must not be negative' })
  SHUTDOWN_TIMEOUT_MS = 20_000;

  /** The token issuer (`iss`) every bearer token must name, e.g. the OIDC realm URL. */
  @Expose()
  @IsDefined({ message: 'AUTH_ISSUER is required' })
  @Matches(HTTP_URL, { message: 'AUTH_ISSUER must be an http:// or https:// URL' })
  AUTH_ISSUER!: string;

  /** The audience (`aud`) every token must name: one audience for all services. */
  @Expose()
  @Matches(/^\S+$/, { message: 'AUTH_AUDIENCE must be a non-empty word without spaces' })
  AUTH_AUDIENCE = 'stepwise';

  /** Where the issuer publishes its signing keys (JWKS); fetched and cached by each service. */
  @Expose()
  @IsDefined({ message: 'AUTH_JWKS_URL is required' })
  @Matches(HTTP_URL, { message: 'AUTH_JWKS_URL must be an http:// or https:// URL' })
  AUTH_JWKS_URL!: string;

  /** Tolerance for clocks that disagree when checking `exp` and `nbf`; bounded so expiry keeps its meaning. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'AUTH_CLOCK_SKEW_SECONDS must be an integer' })
  @Min(0, { message: 'AUTH_CLOCK_SKEW_SECONDS must be between 0 and 300' })
  @Max(300, { message: 'AUTH_CLOCK_SKEW_SECONDS must be between 0 and 300' })
  AUTH_CLOCK_SKEW_SECONDS = 30;

  /** Largest accepted request body; a larger one is answered 413. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'HTTP_BODY_LIMIT_KB must be an integer' })
  @Min(1, { message: 'HTTP_BODY_LIMIT_KB must be between 1 and 10240' })
  @Max(10_240, { message: 'HTTP_BODY_LIMIT_KB must be between 1 and 10240' })
  HTTP_BODY_LIMIT_KB = 100;

  /** Origins allowed to call the API from a browser; empty (the default) sends no CORS headers at all. */
  @Expose()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean)
      : value,
  )
  @Matches(ORIGIN, { each: true, message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins' })
  CORS_ORIGINS: string[] = [];

  /**
   * Reverse proxies in front of the service (ingress, load balancer) whose `X-Forwarded-For` entry is trusted:
   * the address recorded in the audit trail and used for rate limiting is the one that many hops back. 0
   * (the default) trusts none: the direct peer is recorded, and a client cannot forge its address.
   */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'TRUST_PROXY_HOPS must be an integer' })
  @Min(0, { message: 'TRUST_PROXY_HOPS must be between 0 and 10' })
  @Max(10, { message: 'TRUST_PROXY_HOPS must be between 0 and 10' })
  TRUST_PROXY_HOPS = 0;

  /** Requests one principal may make per window (per service), counted in Redis across replicas. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_REQUESTS must be an integer' })
  @Min(1, { message: 'RATE_LIMIT_REQUESTS must be at least 1' })
  RATE_LIMIT_REQUESTS = 300;

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_WINDOW_SECONDS must be an integer' })
  @Min(1, { message: 'RATE_LIMIT_WINDOW_SECONDS must be between 1 and 3600' })
  @Max(3_600, { message: 'RATE_LIMIT_WINDOW_SECONDS must be between 1 and 3600' })
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** How long an `Idempotency-Key` and the first response to it are kept. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'IDEMPOTENCY_TTL_HOURS must be an integer' })
  @Min(1, { message: 'IDEMPOTENCY_TTL_HOURS must be between 1 and 720' })
  @Max(720, { message: 'IDEMPOTENCY_TTL_HOURS must be between 1 and 720' })
  IDEMPOTENCY_TTL_HOURS = 24;
}
