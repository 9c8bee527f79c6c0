import { type Attributes, type SpanStatus } from '@opentelemetry/api';
import { type ExportResult } from '@opentelemetry/core';
import { type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * Span attributes that may leave the process: ids, codes, names of code and of infrastructure — never a value
 * a person typed or a URL that could carry one. An allowlist rather than a denylist because instrumentations
 * add attributes from release to release (`http.url` with its query string, `http.user_agent`, the client's
 * address, `messaging.kafka.message.key` = a client id, `exception.message` quoting a bad value): whatever
 * is not named here is dropped before export.
 */
export const EXPORTED_SPAN_ATTRIBUTES: ReadonlySet<string> = new Set([
  // HTTP: method, route template (never the path or query), status, protocol; the peer of an outgoing call
  'http.method',
  'http.request.method',
  'http.route',
  'http.status_code',
  'http.response.status_code',
  'http.flavor',
  'http.scheme',
  'url.scheme',
  'network.protocol.version',
  'net.host.port',
  'net.peer.name',
  'net.peer.port',
  'server.address',
  'server.port',
  'error.type',
  // NestJS: which module, controller and handler ran
  'component',
  'nestjs.version',
  'nestjs.type',
  'nestjs.module',
  'nestjs.controller',
  'nestjs.callback',
  // Databases: the statement text is parameterised ($1, …; values are never recorded, Redis spans carry the
  // command name only)
  'db.system',
  'db.system.name',
  'db.name',
  'db.namespace',
  'db.user',
  'db.operation',
  'db.operation.name',
  'db.collection.name',
  'db.statement',
  'db.query.text',
  // Kafka: topic, partition, offset, batch size (not the record key: it is the client id)
  'messaging.system',
  'messaging.destination',
  'messaging.destination.name',
  'messaging.destination.partition.id',
  'messaging.kafka.destination.partition',
  'messaging.kafka.message.offset',
  'messaging.kafka.offset',
  'messaging.operation',
  'messaging.operation.type',
  'messaging.operation.name',
  'messaging.batch.message_count',
  'messaging.message.id',
  'messaging.consumer.group.name',
]);

/** The project's own attributes (`stepwise.*`, see spans.ts) are ids and codes by construction. */
const OWN_PREFIX = 'stepwise.';

/** Of an exception event, only the error's class: its message may quote the value that failed. */
const EXPORTED_EVENT_ATTRIBUTES: ReadonlySet<string> = new Set(['exception.type']);

function keep(attributes: Attributes, allowed: (key: string) => boolean): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (allowed(key)) kept[key] = value;
  return kept;
}

const exportedSpanAttribute = (key: string): boolean =>
  EXPORTED_SPAN_ATTRIBUTES.has(key) || key.startsWith(OWN_PREFIX);

/** A copy of the span with only exportable attributes, exception types without messages, no status text. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  const status: SpanStatus = { code: span.status.code };
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status,
    attributes: keep(span.attributes, exportedSpanAttribute),
    links: span.links.map((link) => ({ context: link.context })),
    events: span.events.map((event) => ({
      ...event,
      attributes: keep(event.attributes ?? {}, (key) => EXPORTED_EVENT_ATTRIBUTES.has(key)),
    })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * Wraps the configured exporter (OTLP, Zipkin) so that only redacted spans leave the process, whatever an
 * instrumentation recorded: the one place the "no PHI in a span" rule is enforced.
 */
export class RedactingSpanExporter implements SpanExporter {
  constructor(private readonly exporter: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(spans.map(redactSpan), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}
