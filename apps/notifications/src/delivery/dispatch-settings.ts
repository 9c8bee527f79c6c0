import { type NotificationsConfig } from '../config/notifications.config';

/** How often a delivery is attempted, and how long apart (doubling from `baseDelayMs`). */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
}

/**
 * How the sending side claims, retries and escalates, as configured. A class so Nest can inject it; the module
 * provides `dispatchSettings(config)`, a unit test a literal.
 */
export abstract class DispatchSettings {
  abstract readonly claimLeaseMs: number;
  abstract readonly batchSize: number;
  abstract readonly delivery: RetryPolicy;
  abstract readonly webhook: RetryPolicy & { readonly disableAfterFailures: number };
  abstract readonly escalationSeconds: number;
  abstract readonly defaultQuietHours: string;
  /** Where the full §2.32 notice is published: a text message carries this address with the short statement. */
  abstract readonly noticeUrl: string;
}

export function dispatchSettings(config: NotificationsConfig): DispatchSettings {
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
    noticeUrl: config.DISCLOSURE_NOTICE_URL,
  };
}
