import { Expose, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  IsPemCertificateFile,
  PeerCallsConfig,
  SecretFile,
  type SecretSourceRule,
  SecretValue,
  secretFromSource,
} from '@stepwise/platform';

const HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const SMTP_URL = /^smtps?:\/\/\S+$/;
const QUIET_HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

export const SMS_PROVIDERS = ['sink', 'http'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/**
 * The SMS provider's auth token, from a file (a mounted secret, preferred) or the variable: required by the
 * `http` provider, so a deployment that names the provider but forgot its token stops at start-up instead of
 * failing every SMS with 401 later.
 */
const SMS_AUTH_TOKEN: SecretSourceRule<{ SMS_PROVIDER?: string }> = {
  name: 'SMS_AUTH_TOKEN',
  required: {
    when: (config) => config.SMS_PROVIDER === 'http',
    message: 'SMS_PROVIDER is http, so SMS_AUTH_TOKEN_FILE (or SMS_AUTH_TOKEN) is required',
  },
};

/** A setting the `http` SMS provider cannot work without; optional with the sink. */
const RequiredByHttpSms = (name: string): PropertyDecorator =>
  apply([
    Expose(),
    ValidateIf(
      (config: { SMS_PROVIDER?: string } & Record<string, unknown>) =>
        config.SMS_PROVIDER === 'http' || config[name] !== undefined,
    ),
    IsDefined({ message: `SMS_PROVIDER is http, so ${name} is required` }),
  ]);

const int = (name: string, min: number, max: number): PropertyDecorator[] => [
  Expose(),
  Type(() => Number),
  IsInt({ message: `${name} must be an integer` }),
  Min(min, { message: `${name} must be between ${min} and ${max}` }),
  Max(max, { message: `${name} must be between ${min} and ${max}` }),
];
const apply =
  (decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorator of decorators) decorator(target, key);
  };
const Int = (name: string, min: number, max: number): PropertyDecorator => apply(int(name, min, max));
const Url = (name: string, pattern = HTTP_URL): PropertyDecorator =>
  apply([
    Expose(),
    Matches(pattern, { message: `${name} must be an ${pattern === HTTP_URL ? 'http(s)' : 'smtp(s)'} URL` }),
  ]);
const Secret = (name: string): PropertyDecorator =>
  apply([
    Expose(),
    IsString({ message: `${name} must be text` }),
    MaxLength(500, { message: `${name} is too long` }),
  ]);

/**
 * The notifications service's configuration: the shared variables, its peers (intake, scheduling), its
 * service credential, its channels (SMTP, SMS provider) and the timings of reminders, retries and escalation.
 */
export class NotificationsConfig extends PeerCallsConfig {
  override PORT = 3004;

  /** Intake (client contacts and the disclosure check) is `INTAKE_URL`, with the peer credentials below. */
  override AUTH_CLIENT_ID = 'notifications';

  /** Scheduling: staff contacts, asked at send time. */
  @Url('SCHEDULING_URL')
  SCHEDULING_URL = 'http://127.0.0.1:3002';

  /** E-mail goes out through this SMTP server (nodemailer); credentials may be in the URL. */
  @Url('SMTP_URL', SMTP_URL)
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @Expose()
  @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'SMTP_FROM must be an e-mail address' })
  SMTP_FROM = 'no-reply@stepwise.local';

  /** `sink` keeps SMS in the process (development); `http` posts them to a Twilio-style messages API. */
  @Expose()
  @IsIn(SMS_PROVIDERS, { message: `SMS_PROVIDER must be one of ${SMS_PROVIDERS.join(', ')}` })
  SMS_PROVIDER: SmsProviderName = 'sink';

  @RequiredByHttpSms('SMS_API_URL')
  @Matches(HTTP_URL, { message: 'SMS_API_URL must be an http(s) URL' })
  SMS_API_URL?: string;

  @RequiredByHttpSms('SMS_ACCOUNT_ID')
  @Secret('SMS_ACCOUNT_ID')
  SMS_ACCOUNT_ID?: string;

  @SecretFile(SMS_AUTH_TOKEN)
  SMS_AUTH_TOKEN_FILE?: string;

  @SecretValue(SMS_AUTH_TOKEN)
  @MaxLength(500, { message: 'SMS_AUTH_TOKEN is too long' })
  SMS_AUTH_TOKEN?: string;

  @RequiredByHttpSms('SMS_FROM')
  @Secret('SMS_FROM')
  SMS_FROM?: string;

  /**
   * The public page where the program publishes the full 42 CFR 2.32 notice (and the redisclosure statements):
   * a text message disclosure carries the short statement and this address.
   */
  @Url('DISCLOSURE_NOTICE_URL')
  DISCLOSURE_NOTICE_URL = 'https://stepwise.local/part2-notice';

  /** Quiet hours (recipient's local time) used when a recipient has set none; routine messages wait them out. */
  @Expose()
  @Matches(QUIET_HOURS, { message: 'DEFAULT_QUIET_HOURS must be HH:MM-HH:MM' })
  DEFAULT_QUIET_HOURS = '21:00-08:00';

  /** Safety net behind the Redis timers: how often due notifications are looked for in Postgres. */
  @Int('NOTIFICATION_SWEEP_INTERVAL_MS', 100, 600_000)
  NOTIFICATION_SWEEP_INTERVAL_MS = 15_000;

  /** A claim older than this (a replica died mid-send) is taken over by another replica. */
  @Int('NOTIFICATION_CLAIM_LEASE_MS', 1_000, 3_600_000)
  NOTIFICATION_CLAIM_LEASE_MS = 120_000;

  /** Attempts per e-mail or SMS before it is failed; retries back off exponentially from the base delay. */
  @Int('DELIVERY_MAX_ATTEMPTS', 1, 20)
  DELIVERY_MAX_ATTEMPTS = 4;

  @Int('DELIVERY_RETRY_BASE_MS', 10, 3_600_000)
  DELIVERY_RETRY_BASE_MS = 30_000;

  /** Attempts per webhook delivery, backing off from WEBHOOK_RETRY_BASE_MS. */
  @Int('WEBHOOK_MAX_ATTEMPTS', 1, 20)
  WEBHOOK_MAX_ATTEMPTS = 6;

  @Int('WEBHOOK_RETRY_BASE_MS', 10, 3_600_000)
  WEBHOOK_RETRY_BASE_MS = 60_000;

  /** Deliveries that failed after all retries, in a row, before a subscription is disabled. */
  @Int('WEBHOOK_DISABLE_AFTER_FAILURES', 1, 100)
  WEBHOOK_DISABLE_AFTER_FAILURES = 3;

  /** A webhook exchange (connect, send, answer) taking longer is cut and retried as a timeout. */
  @Int('WEBHOOK_TIMEOUT_MS', 100, 60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** A receiver's answer longer than this is not read: the connection is cut and the delivery failed. */
  @Int('WEBHOOK_MAX_RESPONSE_BYTES', 0, 10_485_760)
  WEBHOOK_MAX_RESPONSE_BYTES = 65_536;

  /**
   * PEM certificates of a private CA trusted for webhook receivers besides the system's public CAs
   * (verification itself is never switched off).
   */
  @Expose()
  @IsOptional()
  @IsPemCertificateFile('WEBHOOK_CA_FILE must name a readable file holding PEM certificates')
  WEBHOOK_CA_FILE?: string;

  /** Seconds an urgent alert may stay unacknowledged before it is escalated to the clinical supervisor. */
  @Int('ALERT_ESCALATION_SECONDS', 1, 86_400)
  ALERT_ESCALATION_SECONDS = 900;

  /** Optional prefix of the Redis timer queue (tests and side-by-side environments sharing a Redis). */
  @Expose()
  @Matches(/^[A-Za-z0-9._-]*$/, {
    message: 'TIMER_QUEUE_PREFIX may contain only letters, digits, ".", "_" and "-"',
  })
  TIMER_QUEUE_PREFIX = '';
}

/** The SMS provider's auth token the configuration names (its file read now), or '' when none is set. */
export function smsAuthToken(config: NotificationsConfig): string {
  return secretFromSource(config.SMS_AUTH_TOKEN_FILE, config.SMS_AUTH_TOKEN) ?? '';
}
