import { join } from 'node:path';
import { type INestApplication, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type CareEvent, type EventTypeName } from '@stepwise/contracts';
import { EventTransport, UnitOfWork } from '@stepwise/messaging';
import { Clock, loadConfig } from '@stepwise/platform';
import { type DataSource } from 'typeorm';
import { SinkSmsProvider, SmsProvider } from '../channels/sms.channel';
import { DispatchDueNotifications } from '../delivery/dispatch-due-notifications';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';
import { notificationsDefinition } from '../notifications.definition';
import { NotificationTimers } from '../timers/notification-timers';
import { careEvent } from './care-events';

export { careEvent };

/** The service's `.env.example`: the base of every replica's configuration. */
export const ENV_EXAMPLE = join(__dirname, '../../.env.example');

/**
 * What the replicas of these tests are configured with, over the test infrastructure: short retries, a
 * one-minute escalation, no default quiet hours, the SMS sink. The test itself applies events and runs sending
 * passes, the way the consumer and the worker would, so a replica consumes and relays nothing and its sweep
 * never comes round while a suite runs.
 */
const REPLICA_ENV: Readonly<Record<string, string>> = {
  AUTH_CLIENT_ID: 'notifications',
  AUTH_CLIENT_SECRET: 'test-secret',
  SMTP_FROM: 'no-reply@stepwise.test',
  SMS_PROVIDER: 'sink',
  DEFAULT_QUIET_HOURS: '00:00-00:00',
  NOTIFICATION_CLAIM_LEASE_MS: '60000',
  DELIVERY_MAX_ATTEMPTS: '3',
  DELIVERY_RETRY_BASE_MS: '10',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_RETRY_BASE_MS: '10',
  WEBHOOK_DISABLE_AFTER_FAILURES: '2',
  ALERT_ESCALATION_SECONDS: '60',
  CONSUMER_ENABLED: 'false',
  RELAY_ENABLED: 'false',
  NOTIFICATION_SWEEP_INTERVAL_MS: '600000',
};

export interface ReplicaOptions {
  /** Replaces the system clock (a test that sets and advances time). */
  readonly clock?: Clock;
  /** Replaces the Redis timers (NoTimers: only the test's own sending passes send). */
  readonly timers?: NotificationTimers;
  /** Variables over the file's own (a channel that is down, a timer queue of its own). */
  readonly env?: Readonly<Record<string, string>>;
  /** Receives the log lines of Nest's Logger (by default Nest's testing logger: errors only). */
  readonly logger?: LoggerService;
}

/**
 * One replica of the service: its production module (`notificationsDefinition.module`) compiled on a test
 * database and started, with only what the test chooses overridden (the clock, the timers) and its peers and
 * channels pointed at the fake servers by configuration.
 */
export class Replica {
  private closing: Promise<void> | undefined;

  private constructor(private readonly app: INestApplication) {}

  static async start(env: Readonly<Record<string, string>>, options: ReplicaOptions): Promise<Replica> {
    const config = loadConfig(notificationsDefinition.name, notificationsDefinition.config, {
      ...env,
      ...options.env,
    });
    const builder = Test.createTestingModule({ imports: [notificationsDefinition.module(config)] });
    if (options.clock !== undefined) builder.overrideProvider(Clock).useValue(options.clock);
    if (options.timers !== undefined) builder.overrideProvider(NotificationTimers).useValue(options.timers);
    if (options.logger !== undefined) builder.setLogger(options.logger);
    const app = (await builder.compile()).createNestApplication();
    // Connected as `createHttpApplication` connects it, so Nest registers the @OnEvent handlers with it; never
    // started (the test applies events itself).
    app.connectMicroservice({ strategy: app.get(EventTransport) });
    await app.init();
    // The platform connects to the database in the background: the test, standing in for the consumer, waits
    // for it the way the consumer does.
    await app.get(EventTransport).whenDatabaseReady();
    return new Replica(app);
  }

  /** The sending pass the worker runs (the test runs it itself). */
  get dispatch(): DispatchDueNotifications {
    return this.app.get(DispatchDueNotifications);
  }

  get timers(): NotificationTimers {
    return this.app.get(NotificationTimers);
  }

  /** What the SMS channel sent (the replica is configured with the development sink). */
  get smsSink(): SinkSmsProvider {
    const sms = this.app.get(SmsProvider);
    if (!(sms instanceof SinkSmsProvider)) throw new Error('the replica is not configured with the SMS sink');
    return sms;
  }

  /**
   * Applies one event the way the consumer does: its @OnEvent method, through Nest, inside a transaction that
   * can publish.
   */
  apply<T extends EventTypeName>(event: CareEvent<T>): Promise<void> {
    const handler = this.app.get(EventTransport).handlers()[event.type];
    if (handler === undefined) throw new Error(`no handler for ${event.type}`);
    return this.app.get(UnitOfWork).run((tx) => handler(event, tx));
  }

  /** Stops the replica the way a process stops (its worker, timers, channels and connections); once. */
  close(): Promise<void> {
    this.closing ??= this.app.close();
    return this.closing;
  }
}

/** Where a replica's peers and channels are: the fake servers of `fake-servers.ts`. */
export interface FakeEndpoints {
  /** FakePeers: intake, scheduling and the token endpoint. */
  readonly peers: string;
  /** MailCatcher. */
  readonly smtp: string;
}

/** The replicas a test file starts, configured alike; `closeAll` stops every one started. */
export class Replicas {
  private readonly started: Replica[] = [];
  private readonly env: Readonly<Record<string, string>>;

  /** `infrastructure`: the test environment of the service (`serviceTestEnv`); `env` wins over everything. */
  constructor(
    infrastructure: Readonly<Record<string, string>>,
    fakes: FakeEndpoints,
    env: Readonly<Record<string, string>> = {},
  ) {
    this.env = {
      ...infrastructure,
      ...REPLICA_ENV,
      INTAKE_URL: fakes.peers,
      SCHEDULING_URL: fakes.peers,
      AUTH_TOKEN_URL: `${fakes.peers}/oauth/token`,
      SMTP_URL: fakes.smtp,
      ...env,
    };
  }

  async start(options: ReplicaOptions = {}): Promise<Replica> {
    const replica = await Replica.start(this.env, options);
    this.started.push(replica);
    return replica;
  }

  async closeAll(): Promise<void> {
    const replicas = this.started.splice(0);
    await Promise.all(replicas.map((replica) => replica.close()));
  }
}

/** Events this service wrote to its outbox, decoded from the stored payloads. */
export async function outboxEvents(
  dataSource: DataSource,
): Promise<{ type: string; payload: Record<string, unknown>; headers: Record<string, string> }[]> {
  const rows = await dataSource.query<
    { type: string; payload: Record<string, unknown>; headers: Record<string, string> }[]
  >(`SELECT type, payload, headers FROM "${NOTIFICATIONS_SCHEMA}".outbox ORDER BY sequence`);
  return rows.map((row) => ({ ...row, type: row.type.replace(/^care\.notifications\.(\w+)\.v1$/, '$1') }));
}
