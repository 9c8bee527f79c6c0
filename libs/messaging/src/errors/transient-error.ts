import { isConnectionLost, isError, errorCode } from '@stepwise/platform';

// Where a database session is gone is the platform's to say (HTTP answers it too); re-exported for consumers.
export { describeError, isConnectionLost } from '@stepwise/platform';

/**
 * Thrown by a handler whose event arrived before a fact it needs from another topic (topics are not ordered
 * with each other): waited out like an outage — the record is retried with backoff, uncounted, and nothing
 * after it on the partition is applied meanwhile. The handler decides how long that may last and then throws
 * an ordinary error, which counts towards the dead-letter topic. The message is logged: ids only.
 */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/**
 * Whether a failure says nothing about the record: the database or the broker is unavailable, or Postgres
 * asked for a retry (serialization failure, deadlock), or a handler is waiting for a fact (RetryLaterError).
 * Such failures are retried with backoff for as long as they last and never count against the record;
 * anything else is the record's (or the handler's) fault.
 */
export function isTransientError(error: unknown): boolean {
  if (!isError(error)) return false;
  if (error instanceof RetryLaterError || error.name === 'RetryLaterError') return true;
  if (isConnectionLost(error)) return true;
  const code = errorCode(error);
  if (code.startsWith('57P') || code.startsWith('53')) return true; // shutdown, insufficient resources
  if (code === '40001' || code === '40P01') return true; // serialization failure, deadlock
  if (error.name.startsWith('KafkaJS') && (error as { retriable?: boolean }).retriable === true) return true;
  return ['KafkaJSConnectionError', 'KafkaJSRequestTimeoutError', 'KafkaJSNumberOfRetriesExceeded'].includes(
    error.name,
  );
}

/** Thrown when the consumer stops while waiting out an outage: the record stays uncommitted and is redelivered. */
export class ConsumerStoppingError extends Error {
  constructor() {
    super('the consumer is stopping');
    this.name = 'ConsumerStoppingError';
  }
}
