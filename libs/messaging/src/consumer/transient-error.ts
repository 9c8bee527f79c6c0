/**
 * Whether a failure says nothing about the record: the database or the broker is unavailable, or Postgres
 * asked for a retry (serialization failure, deadlock). Such failures are retried with backoff for as long as
 * they last and never count against the record; anything else is the record's (or the handler's) fault.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  if (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53')) return true; // connection, shutdown, resources
  if (code === '40001' || code === '40P01') return true; // serialization failure, deadlock
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code))
    return true;
  if (error.name.startsWith('KafkaJS') && (error as { retriable?: boolean }).retriable === true) return true;
  if (
    ['KafkaJSConnectionError', 'KafkaJSRequestTimeoutError', 'KafkaJSNumberOfRetriesExceeded'].includes(
      error.name,
    )
  )
    return true;
  return /Connection terminated|Connection refused|timeout exceeded when trying to connect|not queryable|connect ECONNREFUSED/i.test(
    error.message,
  );
}

/** Thrown when the consumer stops while waiting out an outage: the record stays uncommitted and is redelivered. */
export class ConsumerStoppingError extends Error {
  constructor() {
    super('the consumer is stopping');
    this.name = 'ConsumerStoppingError';
  }
}
