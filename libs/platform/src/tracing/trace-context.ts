import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { isSpanContextValid, trace } from '@opentelemetry/api';

/** W3C Trace Context `traceparent`: version 00, 16-byte trace id, 8-byte parent id, flags. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export function parseTraceparent(
  value: string | undefined,
): { traceId: string; spanId: string; flags: string } | undefined {
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim().toLowerCase());
  if (match === null) return undefined;
  const [, traceId = '', spanId = '', flags = ''] = match;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, flags };
}

/** A new root trace context (sampled), for work that did not arrive with one. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** The same trace, with a new span id: what a process hands on when it continues a trace. */
export function childTraceparent(parent: string): string {
  const parsed = parseTraceparent(parent);
  if (parsed === undefined) return newTraceparent();
  return `00-${parsed.traceId}-${randomBytes(8).toString('hex')}-${parsed.flags}`;
}

const storage = new AsyncLocalStorage<{ traceparent: string }>();

/** Runs `work` with `traceparent` as the current trace context (an HTTP request, a consumed event). */
export function runWithTraceparent<T>(traceparent: string, work: () => T): T {
  return storage.run({ traceparent }, work);
}

/**
 * The trace context to hand on to whatever this work causes (an outbox row, an outgoing call): the active
 * OpenTelemetry span when an SDK is installed, else the context the request or event arrived with, else a
 * new trace. So a trace continues through HTTP → outbox → Kafka → consumer whether or not an OpenTelemetry
 * SDK is configured.
 */
export function currentTraceparent(): string {
  return activeSpanTraceparent() ?? storage.getStore()?.traceparent ?? newTraceparent();
}

/** The active OpenTelemetry span as a `traceparent`, when an SDK is running and a span is active. */
export function activeSpanTraceparent(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (span === undefined || !isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, '0')}`;
}

/**
 * The trace id of the work in progress, if it has one (never a new trace): what log lines carry, so the lines
 * of one request or consumed event can be found together, across services.
 */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (span !== undefined && isSpanContextValid(span)) return span.traceId;
  const stored = storage.getStore()?.traceparent;
  return stored === undefined ? undefined : parseTraceparent(stored)?.traceId;
}
