import { readFileSync } from 'node:fs';
import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, UnitOfWork } from '@stepwise/messaging';
import { MetricsService, PlatformModule, Clock, SystemClock } from '@stepwise/platform';
import { SecurityModule, ServiceTokenClient, serviceTokenProvider } from '@stepwise/security';
import { ClinicalAlerts } from './alerts/clinical-alerts';
import { AcknowledgeAlert } from './alerts/acknowledge-alert';
import { AlertsController } from './alerts/alerts.controller';
import { ListOpenAlerts } from './alerts/list-open-alerts';
import { SiteAlertsController } from './alerts/site-alerts.controller';
import { AlertsRepository } from './alerts/alerts.repository';
import { EscalateAlerts } from './alerts/escalate-alerts';
import { EmailChannel } from './channels/email.channel';
import { HttpSmsProvider, SinkSmsProvider, SmsProvider } from './channels/sms.channel';
import { WebhookDestinations } from './channels/webhook-destination';
import { WebhookSender } from './channels/webhook.sender';
import { NotificationsConfig, smsAuthToken } from './config/notifications.config';
import { ContactDirectory } from './contacts/contact-directory';
import { deliveryMetrics } from './delivery/delivery-metrics';
import { DeferNotification } from './delivery/defer-notification';
import { DeliveryObserver } from './delivery/delivery-observer';
import { DeliveryRepository } from './delivery/delivery.repository';
import { DispatchDueNotifications } from './delivery/dispatch-due-notifications';
import { DispatchSettings, dispatchSettings } from './delivery/dispatch-settings';
import { PostWebhook } from './delivery/post-webhook';
import { RecordDeliveryOutcome } from './delivery/record-delivery-outcome';
import { RetryDelivery } from './delivery/retry-delivery';
import { SendMessage } from './delivery/send-message';
import { WebhookHoldGauges } from './delivery/webhook-hold-gauges';
import { ConsentGate } from './disclosures/consent-gate';
import { DisclosureFanOut } from './disclosures/disclosure-fan-out';
import { DisclosuresController } from './disclosures/disclosures.controller';
import { DisclosuresRepository } from './disclosures/disclosures.repository';
import { SendTimeDisclosure } from './disclosures/send-time-disclosure';
import { WebhookSubscriptionLifecycle } from './disclosures/webhook-subscription-lifecycle';
import { WebhookSubscriptionsController } from './disclosures/webhook-subscriptions.controller';
import { WebhookSubscriptionsRepository } from './disclosures/webhook-subscriptions.repository';
import { IntakeEvents } from './events/intake-events.controller';
import { ReferenceDataEvents } from './events/reference-data-events.controller';
import { SchedulingEvents } from './events/scheduling-events.controller';
import { SessionsEvents } from './events/sessions-events.controller';
import { notificationsDatabase } from './notifications.database';
import { NotificationsWorker } from './notifications.worker';
import { ProjectionsRepository } from './projections/projections.repository';
import { PreferencesController } from './preferences/preferences.controller';
import { PreferencesRepository } from './preferences/preferences.repository';
import { SetPreferences } from './preferences/set-preferences';
import { ReminderPlanner } from './reminders/reminder-planner';
import { RemindersRepository } from './reminders/reminders.repository';
import { BullmqTimers, NotificationTimers } from './timers/notification-timers';

/** The SMS gateway the configuration names: the development sink or a Twilio-style HTTP API. */
function smsProvider(config: NotificationsConfig): SmsProvider {
  if (config.SMS_PROVIDER === 'sink') return new SinkSmsProvider();
  // The configuration requires these with the http provider (validated at start-up); '' cannot happen here.
  return new HttpSmsProvider({
    apiUrl: config.SMS_API_URL ?? '',
    accountId: config.SMS_ACCOUNT_ID ?? '',
    authToken: smsAuthToken(config),
    from: config.SMS_FROM ?? '',
  });
}

/**
 * Root module of the notifications service: reminders, clinical alerts and consent-checked disclosures to
 * recipients. The one place its collaborators are built: the integration tests compile this module too,
 * overriding only the Clock and the NotificationTimers.
 */
@Module({})
export class NotificationsModule {
  static register(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        PlatformModule.forService({ service: 'notifications', config, database: notificationsDatabase }),
        SecurityModule.forService(),
        MessagingModule.forService({ schema: notificationsDatabase.schema }),
      ],
      controllers: [
        PreferencesController,
        AlertsController,
        SiteAlertsController,
        WebhookSubscriptionsController,
        DisclosuresController,
        ReferenceDataEvents,
        IntakeEvents,
        SchedulingEvents,
        SessionsEvents,
      ],
      providers: [
        { provide: Clock, useClass: SystemClock },
        {
          provide: NotificationTimers,
          useFactory: () =>
            new BullmqTimers({ redisUrl: config.REDIS_URL, queuePrefix: config.TIMER_QUEUE_PREFIX }),
        },
        serviceTokenProvider(config),
        {
          provide: ConsentGate,
          inject: [ServiceTokenClient],
          useFactory: (tokens: ServiceTokenClient) => new ConsentGate(config.INTAKE_URL, tokens),
        },
        {
          provide: ContactDirectory,
          inject: [ServiceTokenClient],
          useFactory: (tokens: ServiceTokenClient) =>
            new ContactDirectory(
              { intakeUrl: config.INTAKE_URL, schedulingUrl: config.SCHEDULING_URL },
              tokens,
            ),
        },
        { provide: EmailChannel, useFactory: () => new EmailChannel(config.SMTP_URL, config.SMTP_FROM) },
        { provide: SmsProvider, useFactory: () => smsProvider(config) },
        {
          provide: WebhookDestinations,
          useFactory: () => new WebhookDestinations({ production: config.NODE_ENV === 'production' }),
        },
        {
          provide: WebhookSender,
          inject: [WebhookDestinations],
          useFactory: (destinations: WebhookDestinations) =>
            new WebhookSender(destinations, {
              timeoutMs: config.WEBHOOK_TIMEOUT_MS,
              maxResponseBytes: config.WEBHOOK_MAX_RESPONSE_BYTES,
              ...(config.WEBHOOK_CA_FILE === undefined
                ? {}
                : { extraCa: readFileSync(config.WEBHOOK_CA_FILE, 'utf8') }),
            }),
        },
        { provide: DeliveryObserver, inject: [MetricsService], useFactory: deliveryMetrics },
        { provide: DispatchSettings, useFactory: () => dispatchSettings(config) },
        {
          provide: EscalateAlerts,
          inject: [UnitOfWork, Clock, AlertsRepository],
          useFactory: (unitOfWork: UnitOfWork, clock: Clock, alerts: AlertsRepository) =>
            new EscalateAlerts(unitOfWork, clock, alerts),
        },
        DispatchDueNotifications,
        SendMessage,
        PostWebhook,
        SendTimeDisclosure,
        RecordDeliveryOutcome,
        DeferNotification,
        RetryDelivery,
        DeliveryRepository,
        ProjectionsRepository,
        RemindersRepository,
        ReminderPlanner,
        ClinicalAlerts,
        DisclosureFanOut,
        NotificationsWorker,
        PreferencesRepository,
        SetPreferences,
        AlertsRepository,
        AcknowledgeAlert,
        ListOpenAlerts,
        DisclosuresRepository,
        WebhookSubscriptionsRepository,
        WebhookSubscriptionLifecycle,
        WebhookHoldGauges,
      ],
    };
  }
}
