import { NotificationErrorCode } from '@stepwise/contracts';

/** One message to one address. The address lives only in memory, for the duration of the send. */
export interface OutgoingMessage {
  /**
   * The notification it is sent for: the same on every attempt, so a resend after a crash between the send and
   * recording it can be recognised downstream (e-mail derives its Message-ID from it).
   */
  readonly notificationId: string;
  readonly to: string;
  readonly subject: string | undefined;
  readonly text: string;
}

/** E-mail or SMS: hands a message to its provider or throws a DeliveryError. */
export interface MessageChannel {
  send(message: OutgoingMessage): Promise<void>;
}

/**
 * Why a send failed, as a code from the contract vocabulary, whether trying again may help, and a short reason
 * for the delivery log made of protocol codes only (never an address or message text).
 */
export class DeliveryError extends Error {
  constructor(
    readonly code: NotificationErrorCode,
    readonly retryable: boolean,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'DeliveryError';
  }
}

export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (timedOut(error)) return new DeliveryError(NotificationErrorCode.Timeout, true, 'timeout');
  return new DeliveryError(NotificationErrorCode.ProviderUnavailable, true, 'unexpected-error');
}

/** Maps an HTTP answer of a provider or receiver to a delivery failure. */
export function httpFailure(status: number, rejected: NotificationErrorCode): DeliveryError {
  if (status === 429) return new DeliveryError(NotificationErrorCode.RateLimited, true, `http-${status}`);
  if (status >= 500) return new DeliveryError(rejected, true, `http-${status}`);
  return new DeliveryError(rejected, false, `http-${status}`);
}

/** A network error (refused, reset, DNS, timeout) of fetch, as a retryable failure. */
export function networkFailure(error: unknown, code: NotificationErrorCode): DeliveryError {
  if (timedOut(error)) return new DeliveryError(NotificationErrorCode.Timeout, true, 'timeout');
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const reason = typeof cause?.code === 'string' ? cause.code.toLowerCase() : 'network-error';
  return new DeliveryError(code, true, reason);
}

/**
 * An aborted or timed-out fetch. Judged by name, not `instanceof Error`: fetch's DOMException comes from
 * another realm than the caller's `Error` wherever code runs in a vm context (Jest does).
 */
function timedOut(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
