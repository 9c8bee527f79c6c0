import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ConfigError, loadConfig } from '../config/load-config';
import { TracingConfig, otlpTracesUrl, tracesExporter } from '../config/tracing-config';
import { redactSpan } from './span-redaction';
import { startTracing, tracingStarted } from './start-tracing';
import { isOperationalPath, sampler } from './tracing-sdk';

const load = (env: Record<string, string>): TracingConfig => loadConfig('intake', TracingConfig, env);

function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => p.variable);
  }
}

describe('tracing configuration (OTEL_*)', () => {
  it('is off unless an exporter or an OTLP endpoint is configured', () => {
    expect(tracesExporter(load({}))).toBe('none');
    expect(
      tracesExporter(load({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })),
    ).toBe('none');
    expect(tracesExporter(load({ OTEL_TRACES_EXPORTER: 'zipkin' }))).toBe('zipkin');
  });

  it('sends OTLP when only an OTLP endpoint is given, to its /v1/traces unless the traces URL is set', () => {
    const base = load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' });
    expect(tracesExporter(base)).toBe('otlp');
    expect(otlpTracesUrl(base)).toBe('http://collector:4318/v1/traces');
    const specific = load({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/otlp/traces' });
    expect(tracesExporter(specific)).toBe('otlp');
    expect(otlpTracesUrl(specific)).toBe('https://collector/otlp/traces');
    expect(otlpTracesUrl(load({ OTEL_TRACES_EXPORTER: 'otlp' }))).toBe('http://localhost:4318/v1/traces');
  });

  it('names each invalid variable', () => {
    expect(problemsOf({ OTEL_TRACES_EXPORTER: 'jaeger' })).toEqual(['OTEL_TRACES_EXPORTER']);
    expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    ]);
    expect(problemsOf({ OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'zipkin' })).toEqual([
      'OTEL_EXPORTER_ZIPKIN_ENDPOINT',
    ]);
    expect(problemsOf({ OTEL_SERVICE_NAME: 'two words' })).toEqual(['OTEL_SERVICE_NAME']);
    expect(problemsOf({ OTEL_TRACES_SAMPLER: 'sometimes' })).toEqual(['OTEL_TRACES_SAMPLER']);
    expect(problemsOf({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' })).toEqual([
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
    // A ratio without a ratio sampler would be silently ignored: refused instead.
    expect(problemsOf({ OTEL_TRACES_SAMPLER_ARG: '0.1' })).toEqual(['OTEL_TRACES_SAMPLER_ARG']);
    expect(
      problemsOf({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }),
    ).toEqual([]);
  });

  it("builds the specification's samplers", () => {
    expect(sampler(load({})).toString()).toMatch(/ParentBased\{root=AlwaysOnSampler/);
    expect(sampler(load({ OTEL_TRACES_SAMPLER: 'always_off' })).toString()).toBe('AlwaysOffSampler');
    expect(
      sampler(
        load({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }),
      ).toString(),
    ).toMatch(/root=TraceIdRatioBased\{0.25\}/);
  });

  it('starts nothing when tracing is off or its variables are invalid (the bootstrap then exits 78)', () => {
    expect(startTracing('intake', {})).toBe(false);
    expect(startTracing('intake', { OTEL_TRACES_EXPORTER: 'jaeger' })).toBe(false);
    expect(tracingStarted()).toBe(false);
  });

  it('traces no probe or scrape', () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/metrics?x=1']) {
      expect(isOperationalPath(path)).toBe(true);
    }
    for (const path of ['/v1/clients', '/v1/metrics-of-site', '/docs', undefined]) {
      expect(isOperationalPath(path)).toBe(false);
    }
  });
});

describe('span redaction before export', () => {
  const span = {
    name: 'GET',
    kind: SpanKind.SERVER,
    spanContext: () => ({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 }),
    parentSpanContext: undefined,
    startTime: [1, 0],
    endTime: [2, 0],
    status: { code: SpanStatusCode.ERROR, message: 'invalid input syntax for type uuid: "Jane Doe"' },
    attributes: {
      'http.method': 'GET',
      'http.route': '/v1/clients/:clientId',
      'http.status_code': 500,
      'http.url': 'http://127.0.0.1:3001/v1/clients/1?name=Jane',
      'http.target': '/v1/clients/1?name=Jane',
      'http.user_agent': 'curl',
      'net.peer.ip': '10.1.2.3',
      'messaging.kafka.message.key': 'a-client-id',
      'db.statement': 'SELECT * FROM clients WHERE id = $1',
      'stepwise.event.type': 'ClientAdmitted',
    },
    links: [
      { context: { traceId: '3'.repeat(32), spanId: '4'.repeat(16), traceFlags: 1 }, attributes: { a: 'b' } },
    ],
    events: [
      {
        name: 'exception',
        time: [1, 5],
        attributes: { 'exception.type': 'QueryFailedError', 'exception.message': 'Key (email)=(jane@x.org)' },
      },
    ],
    duration: [1, 0],
    ended: true,
    resource: {},
    instrumentationScope: { name: 'test' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  } as unknown as ReadableSpan;

  it('keeps ids, codes and route templates, and drops URLs, peers, record keys and error messages', () => {
    const redacted = redactSpan(span);
    expect(redacted.attributes).toEqual({
      'http.method': 'GET',
      'http.route': '/v1/clients/:clientId',
      'http.status_code': 500,
      'db.statement': 'SELECT * FROM clients WHERE id = $1',
      'stepwise.event.type': 'ClientAdmitted',
    });
    expect(redacted.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(redacted.events.map((e) => e.attributes)).toEqual([{ 'exception.type': 'QueryFailedError' }]);
    expect(redacted.links).toEqual([{ context: span.links[0]?.context }]);
    expect(redacted.spanContext()).toEqual(span.spanContext());
    // The original is left as the SDK keeps it.
    expect(span.attributes['http.url']).toBeDefined();
  });
});
