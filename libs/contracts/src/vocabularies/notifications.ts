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
  /**
   * A disclosure that could not carry the 42 CFR 2.32 notice and the consent's scope (the channel's text has
   * no room for them, or intake did not give the consent's terms): not made.
   */
  NoticeUnavailable = 'notice-unavailable',
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
