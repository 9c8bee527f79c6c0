import { types } from 'node:util';

/**
 * `instanceof Error` is not enough: errors raised by Node's core (a refused connection from `net`) come from
 * another realm when the code runs in a VM context, as it does under Jest, and would be misjudged there.
 */
export function isError(error: unknown): error is Error {
  return error instanceof Error || types.isNativeError(error);
}

/** `Name: message` for a log line (never a stack: stacks of handler errors can carry values). */
export function describeError(error: unknown): string {
  return isError(error) ? `${error.name}: ${error.message}` : String(error);
}

/** Postgres and Node use string codes; kafkajs protocol errors carry numeric ones (never a connection loss). */
export function errorCode(error: Error): string {
  const raw = (error as { code?: unknown }).code;
  return typeof raw === 'string' ? raw : '';
}

/**
 * Whether a database or network session is gone (or never opened): whoever owned it must reconnect — and
 * a relay must assume it lost its lease with it.
 */
export function isConnectionLost(error: unknown): boolean {
  if (!isError(error)) return false;
  const code = errorCode(error);
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
 * Whether the database cannot serve anyone right now — unreachable, shutting down, out of connections or
 * resources, or no pooled connection came free within the pool's wait: the request may be sent again shortly
 * and is not at fault (HTTP answers 503 with Retry-After, never a bare 500).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!isError(error)) return false;
  const code = errorCode(error);
  return isConnectionLost(error) || code.startsWith('53') || code.startsWith('57P');
}
