/** Vocabularies of the notifications service's events. */

export enum NotificationChannel {
  Email = 'email',
  Sms = 'sms',
  Webhook = 'webhook',
}

/** Who a notification is addressed to (not the consent recipient kinds: those describe disclosures). */
export enum NotificationRecipientKind {
  Client = 'client',
  Family = 'family',
  Staff = 'staff',
  System = 'system',
}

/** NotificationSuppressed.reason */
export enum SuppressionReason {
  NoConsent = 'no-consent',
  ConsentRevoked = 'consent-revoked',
  OptedOut = 'opted-out',
  QuietHoursDeferred = 'quiet-hours-deferred',
  Duplicate = 'duplicate',
  /** Due, but no longer useful when its turn came: a reminder whose appointment had already begun. */
  Expired = 'expired',
}

/** NotificationFailed.errorCode */
export enum NotificationErrorCode {
  InvalidDestination = 'invalid-destination',
  DestinationUnreachable = 'destination-unreachable',
  ProviderRejected = 'provider-rejected',
  ProviderUnavailable = 'provider-unavailable',
  RateLimited = 'rate-limited',
  Timeout = 'timeout',
  WebhookRejected = 'webhook-rejected',
  TemplateError = 'template-error',
}
