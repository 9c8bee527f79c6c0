import { randomUUID } from 'node:crypto';
import {
  type CareEvent,
  Confidentiality,
  type EventPayload,
  type EventTypeName,
  examplePayload,
} from '@stepwise/contracts';
import { Outbox, UnitOfWork } from '@stepwise/messaging';
import { type DataSource } from 'typeorm';
import { type Clock } from '@stepwise/platform';
import { type SinkSmsProvider } from '../channels/sms.channel';
import { type NotificationsConfig } from '../config/notifications.config';
import { type NotificationsEvent } from '../events/notifications-event-handlers';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';
import { type NotificationsRuntime, type RuntimeConfig, createRuntime } from '../notifications.runtime';
import { type NotificationTimers } from '../timers/notification-timers';

/** A care event as the consumer hands it to a handler: an example payload of the contract with overrides. */
export function careEvent<T extends EventTypeName>(
  type: T,
  overrides: Partial<EventPayload<T>>,
  id: string = randomUUID(),
): CareEvent<T> {
  const data = { ...examplePayload(type), ...overrides } as EventPayload<T>;
  return {
    type,
    version: 1,
    ceType: `care.test.${type}.v1`,
    id,
    source: 'test',
    time: new Date().toISOString(),
    key: randomUUID(),
    siteId: undefined,
    correlationId: id,
    causationId: undefined,
    confidentiality: Confidentiality.Part2,
    traceparent: undefined,
    data,
  };
}

export const BASE_CONFIG: RuntimeConfig = {
  INTAKE_URL: 'http://127.0.0.1:1',
  SCHEDULING_URL: 'http://127.0.0.1:1',
  AUTH_TOKEN_URL: 'http://127.0.0.1:1/oauth/token',
  AUTH_CLIENT_ID: 'notifications',
  AUTH_CLIENT_SECRET: 'test-secret',
  SMTP_URL: 'smtp://127.0.0.1:1',
  SMTP_FROM: 'no-reply@stepwise.test',
  SMS_PROVIDER: 'sink',
  SMS_ACCOUNT_ID: '',
  SMS_AUTH_TOKEN: '',
  SMS_FROM: '',
  DEFAULT_QUIET_HOURS: '00:00-00:00',
  NOTIFICATION_CLAIM_LEASE_MS: 60_000,
  DELIVERY_MAX_ATTEMPTS: 3,
  DELIVERY_RETRY_BASE_MS: 10,
  WEBHOOK_MAX_ATTEMPTS: 3,
  WEBHOOK_RETRY_BASE_MS: 10,
  WEBHOOK_DISABLE_AFTER_FAILURES: 2,
  ALERT_ESCALATION_SECONDS: 60,
} satisfies Partial<NotificationsConfig>;

/** One replica of the service's delivery side on a real database: handlers, dispatcher and channels. */
export interface Replica extends NotificationsRuntime {
  readonly unitOfWork: UnitOfWork;
  /** Applies one event the way the consumer does: the handler inside a transaction that can publish. */
  apply<T extends NotificationsEvent>(event: CareEvent<T>): Promise<void>;
  readonly smsSink: SinkSmsProvider;
}

export function replica(
  dataSource: DataSource,
  config: RuntimeConfig,
  clock: Clock,
  timers: NotificationTimers,
): Replica {
  const unitOfWork = new UnitOfWork(dataSource, new Outbox(NOTIFICATIONS_SCHEMA));
  const runtime = createRuntime(
    { ...config, SMS_PROVIDER: 'sink' },
    { dataSource, unitOfWork, clock, timers },
  );
  const handlers = runtime.handlers.handlers as unknown as Record<
    string,
    (event: CareEvent, tx: Parameters<Parameters<UnitOfWork['run']>[0]>[0]) => Promise<void>
  >;
  return {
    ...runtime,
    unitOfWork,
    smsSink: runtime.sms as SinkSmsProvider,
    apply: (event) =>
      unitOfWork.run(async (tx) => {
        const handler = handlers[event.type];
        if (handler === undefined) throw new Error(`no handler for ${event.type}`);
        await handler(event as CareEvent, tx);
      }),
  };
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
