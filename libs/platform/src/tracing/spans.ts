import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
} from '@opentelemetry/api';
import type * as OtelCore from '@opentelemetry/core';
import { tracingStarted } from './start-tracing';
import { parseTraceparent } from './trace-context';

/**
 * Attributes of the project's own spans. Ids and codes only (never a name, a date of birth, a contact or
 * note text): the exporter drops anything else that is not on its allowlist (span-redaction.ts).
 */
export const SPAN_ATTRIBUTES = {
  service: 'stepwise.service',
  eventType: 'stepwise.event.type',
  eventId: 'stepwise.event.id',
  eventCount: 'stepwise.event.count',
  consumer: 'stepwise.consumer',
  attempt: 'stepwise.attempt',
  outcome: 'stepwise.outcome',
  topic: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  offset: 'messaging.kafka.message.offset',
  messagingSystem: 'messaging.system',
  messagingOperation: 'messaging.operation.type',
} as const;

export type SpanKindName = 'internal' | 'producer' | 'consumer';

const KINDS: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

export interface SpanOptions {
  readonly kind?: SpanKindName;
  readonly attributes?: Attributes;
  /**
   * The `traceparent` this work continues (an outbox row's, a Kafka record's) instead of the active context:
   * work that runs apart from the request that caused it still belongs to the request's trace.
   */
  readonly parent?: string | undefined;
}

/** A span begun with `startSpan`: what to hand on to continue it, and its end. */
export interface OpenSpan {
  /** The span as a `traceparent`; undefined when tracing is off (hand on what you had). */
  readonly traceparent: string | undefined;
  end(error?: unknown): void;
}

const CLOSED: OpenSpan = { traceparent: undefined, end: () => undefined };

const tracer = () => trace.getTracer('stepwise');

/** The context a remote `traceparent` stands for (the active one when it is missing or malformed). */
function parentContext(traceparent: string | undefined): Context {
  const parsed = traceparent === undefined ? undefined : parseTraceparent(traceparent);
  if (parsed === undefined) return context.active();
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parsed.traceId,
    spanId: parsed.spanId,
    traceFlags: Number.parseInt(parsed.flags, 16),
    isRemote: true,
  });
}

/** Ends the span; a failure marks it as an error with the error's class only (its message may quote a value). */
function finish(span: Span, failure?: { readonly error: unknown }): void {
  if (failure !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute(
      'error.type',
      failure.error instanceof Error ? failure.error.name : typeof failure.error,
    );
  }
  span.end();
}

/** Also for a span the sampler dropped (flags 00): what follows it is then dropped too. */
function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

/**
 * Runs `work` in a span of the project's own (the use case's transaction, an outbox append, a consumed
 * event). With tracing off it runs `work` and nothing else.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  if (!tracingStarted()) return work();
  const parent = parentContext(options.parent);
  const span = tracer().startSpan(
    name,
    { kind: KINDS[options.kind ?? 'internal'], attributes: options.attributes ?? {} },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), work);
    finish(span);
    return result;
  } catch (error) {
    finish(span, { error });
    throw error;
  }
}

/**
 * Begins a span that the caller ends, for work that is not one callback (the relay's records, sent together
 * in one batch, each in its own trace). With tracing off it returns a span that does nothing.
 */
export function startSpan(name: string, options: SpanOptions): OpenSpan {
  if (!tracingStarted()) return CLOSED;
  const span = tracer().startSpan(
    name,
    { kind: KINDS[options.kind ?? 'internal'], attributes: options.attributes ?? {} },
    parentContext(options.parent),
  );
  return {
    traceparent: traceparentOf(span),
    end: (error?: unknown) => finish(span, error === undefined ? undefined : { error }),
  };
}

/** Adds attributes to the active span (known only once the work has begun, such as an event's id). */
export function setSpanAttributes(attributes: Attributes): void {
  if (tracingStarted()) trace.getActiveSpan()?.setAttributes(attributes);
}

/**
 * Runs `work` with tracing suppressed: the instrumentations make no span for it and inject no trace context
 * (see KafkajsProducer). With tracing off it just runs `work`; `@opentelemetry/core` is loaded only when the SDK
 * (which loads it anyway) is running.
 */
export function untraced<T>(work: () => T): T {
  if (!tracingStarted()) return work();
  const { suppressTracing } = require('@opentelemetry/core') as typeof OtelCore;
  return context.with(suppressTracing(context.active()), work);
}
