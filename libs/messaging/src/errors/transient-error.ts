import { types } from 'node:util';

/**
 * `instanceof Error` is not enough: errors raised by Node's core (a refused connection from `net`) come from
 * another realm when the code runs in a VM context, as it does under Jest, and would be misjudged there.
 */
function isError(error: unknown): error is Error {
  return error instanceof Error || types.isNativeError(error);
}

/** `Name: message` for a log line (never a stack: stacks of handler errors can carry values). */
export function describeError(error: unknown): string {
  return isError(error) ? `${error.name}: ${error.message}` : String(error);
}

/** Postgres and Node use string codes; kafkajs protocol errors carry numeric ones (never a connection loss). */
function stringCode(error: Error): string {
  const raw = (error as { code?: unknown }).code;
  return typeof raw === 'string' ? raw : '';
}

/**
 * Whether a database or network session is gone (or never opened): whoever owned it must reconnect — and
 * a relay must assume it lost its lease with it.
 */
export function isConnectionLost(error: unknown): boolean {
  if (!isError(error)) return false;
  const code = stringCode(error);
  return (
    code.startsWith('08') || // Postgres connection exception class
    code === '57P01' || // admin shutdown
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code) ||
    /Connection terminated|Connection refused|timeout exceeded when trying to connect|not queryable|Client has encountered a connection error|connect ECONNREFUSED/i.test(
      error.message,
    )
  );
}

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
  const code = stringCode(error);
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
