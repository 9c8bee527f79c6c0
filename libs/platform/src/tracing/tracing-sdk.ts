import { type IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, resources } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { type TracingConfig, otlpTracesUrl, tracesExporter } from '../config/tracing-config';
import { routeTemplate } from '../http/route-template';
import { RedactingSpanExporter } from './span-redaction';

/**
 * The OpenTelemetry SDK of a service, built from its validated `OTEL_*` variables. Loaded (and with it the
 * SDK's packages) only when tracing is configured: see start-tracing.ts.
 */
export function createTracingSdk(service: string, config: TracingConfig): NodeSDK {
  return new NodeSDK({
    // Only what the variables say: no host, OS or process detectors (the command line and host name are not
    // the collector's business; in Kubernetes its k8sattributes processor adds the pod).
    autoDetectResources: false,
    resource: resources.resourceFromAttributes({
      'service.name': config.OTEL_SERVICE_NAME ?? service,
      'service.namespace': 'stepwise',
    }),
    sampler: sampler(config),
    spanProcessors: [new BatchSpanProcessor(new RedactingSpanExporter(exporter(config)))],
    // Traces only: metrics are Prometheus's (/metrics), logs are pino's. Without these the SDK would start OTLP
    // metric and log exporters of its own.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would be most of the spans and tell nothing.
        ignoreIncomingRequestHook: (request: IncomingMessage) => isOperationalPath(request.url),
        // Calls made outside any request or event (JWKS refresh, token fetch at start-up) are not traces.
        requireParentforOutgoingSpans: true,
        // The route template Express matched, as the metrics label it (the instrumentation knows only the
        // path, which it does not export): the server span reads `POST /v1/clients/:clientId/admissions`.
        applyCustomAttributesOnSpan: (span, request) => {
          const route = routeTemplate(request as { baseUrl?: unknown; route?: unknown });
          if (route === undefined) return;
          span.setAttribute('http.route', route);
          span.updateName(`${(request as IncomingMessage).method ?? 'GET'} ${route}`);
        },
      }),
      new NestInstrumentation(),
      new PgInstrumentation({
        // Values of the statements' parameters are never recorded; the relay's and the consumer's idle
        // polls, outside any span, make no spans of their own.
        enhancedDatabaseReporting: false,
        requireParentSpan: true,
        ignoreConnectSpans: true,
      }),
      new IORedisInstrumentation({
        // The command only: keys and arguments hold ids, cached responses and rate-limit principals.
        dbStatementSerializer: (command) => command,
        requireParentSpan: true,
      }),
      // Consumer side: a span per fetched batch, linked to the records' producers. The producer side is
      // traced by the relay itself, per record, in the trace that appended it (see the messaging library).
      new KafkaJsInstrumentation(),
    ],
  });
}

/** `/health/live`, `/health/ready`, `/metrics`: answered without a span. */
export function isOperationalPath(url: string | undefined): boolean {
  return /^\/(health|metrics)(\/|\?|$)/.test(url ?? '');
}

function exporter(config: TracingConfig): SpanExporter {
  switch (tracesExporter(config)) {
    case 'zipkin':
      return new ZipkinExporter({ url: config.OTEL_EXPORTER_ZIPKIN_ENDPOINT });
    default:
      return new OTLPTraceExporter({ url: otlpTracesUrl(config) });
  }
}

/** The specification's samplers, from OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG. */
export function sampler(config: TracingConfig): Sampler {
  const ratio = (): Sampler => new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG ?? 1);
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
