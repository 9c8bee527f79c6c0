import { type UnitOfWork } from '@stepwise/messaging';
import { type DataSource } from 'typeorm';
import { type Clock } from '@stepwise/platform';
import { ClinicalAlerts } from './alerts/clinical-alerts';
import { EmailChannel } from './channels/email.channel';
import { HttpSmsProvider, SinkSmsProvider, type SmsProvider } from './channels/sms.channel';
import { WebhookSender } from './channels/webhook.sender';
import { type NotificationsConfig } from './config/notifications.config';
import { ContactDirectory } from './contacts/contact-directory';
import { ServiceTokenClient } from './contacts/service-token.client';
import { DeliveryOutcomes } from './delivery/delivery-outcomes';
import { type DispatchSettings, NotificationDispatcher } from './delivery/notification-dispatcher';
import { ConsentGate } from './disclosures/consent-gate';
import { DisclosureFanOut } from './disclosures/disclosure-fan-out';
import { NotificationsEventHandlers } from './events/notifications-event-handlers';
import { ReminderPlanner } from './reminders/reminder-planner';
import { type NotificationTimers } from './timers/notification-timers';

export type RuntimeConfig = Pick<
  NotificationsConfig,
  | 'INTAKE_URL'
  | 'SCHEDULING_URL'
  | 'AUTH_TOKEN_URL'
  | 'AUTH_CLIENT_ID'
  | 'AUTH_CLIENT_SECRET'
  | 'SMTP_URL'
  | 'SMTP_FROM'
  | 'SMS_PROVIDER'
  | 'SMS_API_URL'
  | 'SMS_ACCOUNT_ID'
  | 'SMS_AUTH_TOKEN'
  | 'SMS_FROM'
  | 'DEFAULT_QUIET_HOURS'
  | 'NOTIFICATION_CLAIM_LEASE_MS'
  | 'DELIVERY_MAX_ATTEMPTS'
  | 'DELIVERY_RETRY_BASE_MS'
  | 'WEBHOOK_MAX_ATTEMPTS'
  | 'WEBHOOK_RETRY_BASE_MS'
  | 'WEBHOOK_DISABLE_AFTER_FAILURES'
  | 'ALERT_ESCALATION_SECONDS'
>;

export function dispatchSettings(config: RuntimeConfig): DispatchSettings {
  return {
    claimLeaseMs: config.NOTIFICATION_CLAIM_LEASE_MS,
    batchSize: 20,
    delivery: { maxAttempts: config.DELIVERY_MAX_ATTEMPTS, baseDelayMs: config.DELIVERY_RETRY_BASE_MS },
    webhook: {
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      baseDelayMs: config.WEBHOOK_RETRY_BASE_MS,
      disableAfterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES,
    },
    escalationSeconds: config.ALERT_ESCALATION_SECONDS,
    defaultQuietHours: config.DEFAULT_QUIET_HOURS,
  };
}

export function smsProvider(config: RuntimeConfig): SmsProvider {
  if (config.SMS_PROVIDER === 'sink') return new SinkSmsProvider();
  if (config.SMS_API_URL === undefined) throw new Error('SMS_PROVIDER=http needs SMS_API_URL');
  return new HttpSmsProvider({
    apiUrl: config.SMS_API_URL,
    accountId: config.SMS_ACCOUNT_ID,
    authToken: config.SMS_AUTH_TOKEN,
    from: config.SMS_FROM,
  });
}

/** The collaborators of the notifications service, wired once (by the Nest module, or by a test directly). */
export interface NotificationsRuntime {
  readonly tokens: ServiceTokenClient;
  readonly email: EmailChannel;
  readonly sms: SmsProvider;
  readonly consents: ConsentGate;
  readonly dispatcher: NotificationDispatcher;
  readonly handlers: NotificationsEventHandlers;
}

export function createRuntime(
  config: RuntimeConfig,
  deps: {
    dataSource: DataSource;
    unitOfWork: UnitOfWork;
    clock: Clock;
    timers: NotificationTimers;
    sms?: SmsProvider;
  },
): NotificationsRuntime {
  const tokens = new ServiceTokenClient({
    tokenUrl: config.AUTH_TOKEN_URL,
    clientId: config.AUTH_CLIENT_ID,
    clientSecret: config.AUTH_CLIENT_SECRET,
  });
  const email = new EmailChannel(config.SMTP_URL, config.SMTP_FROM);
  const sms = deps.sms ?? smsProvider(config);
  const consents = new ConsentGate(config.INTAKE_URL, tokens);
  const contacts = new ContactDirectory(
    { intakeUrl: config.INTAKE_URL, schedulingUrl: config.SCHEDULING_URL },
    tokens,
  );
  const outcomes = new DeliveryOutcomes(deps.unitOfWork, deps.clock, deps.timers);
  const dispatcher = new NotificationDispatcher(
    deps.dataSource,
    deps.unitOfWork,
    deps.clock,
    outcomes,
    { email, sms },
    contacts,
    consents,
    new WebhookSender(),
    dispatchSettings(config),
  );
  const handlers = new NotificationsEventHandlers(
    new ReminderPlanner(deps.clock, deps.timers),
    new ClinicalAlerts(deps.clock, deps.timers),
    new DisclosureFanOut(deps.clock, deps.timers, consents),
  );
  return { tokens, email, sms, consents, dispatcher, handlers };
}
