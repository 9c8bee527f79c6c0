import { JOB, serverErrorRatio } from '../promql';
import { type DashboardSpec, type PanelSpec } from './dashboard-spec';

/** A series selector of the four services, narrowed to the dashboard's `service` variable. */
function sel(metric: string, ...matchers: string[]): string {
  return `${metric}{${[JOB, 'service=~"$service"', ...matchers].join(', ')}}`;
}
const RATE = '[$__rate_interval]';
/** Operational routes are scraped and probed all day: they would drown the product's traffic and errors. */
const API = 'route!~"/health/.*|/metrics"';
const HTTP_COUNT = 'http_server_request_duration_seconds_count';
const HTTP_BUCKET = 'http_server_request_duration_seconds_bucket';

function quantile(q: number, bucket: string, by: string, ...matchers: string[]): string {
  return `histogram_quantile(${q}, sum by (${by}, le) (rate(${sel(bucket, ...matchers)}${RATE})))`;
}

const requests: PanelSpec[] = [
  {
    title: 'Request rate',
    description: 'Requests per second answered by each service (health probes and scrapes excluded).',
    kind: 'timeseries',
    unit: 'reqps',
    queries: [{ expr: `sum by (service) (rate(${sel(HTTP_COUNT, API)}${RATE}))`, legend: '{{service}}' }],
  },
  {
    title: 'Server error ratio (5xx)',
    description:
      'Share of requests answered 5xx: what the error-budget alerts burn (SLO: 99.5% of requests without a server error over 30 days).',
    kind: 'timeseries',
    unit: 'percentunit',
    queries: [
      {
        expr: serverErrorRatio(sel(HTTP_COUNT, API), sel(HTTP_COUNT, API, 'status_code=~"5.."'), RATE),
        legend: '{{service}}',
      },
    ],
  },
  {
    title: 'Error answers by status',
    description: 'Client (4xx) and server (5xx) error answers per second by status code.',
    kind: 'timeseries',
    unit: 'reqps',
    queries: [
      {
        expr: `sum by (service, status_code) (rate(${sel(HTTP_COUNT, API, 'status_code=~"[45].."')}${RATE}))`,
        legend: '{{service}} {{status_code}}',
      },
    ],
  },
  {
    title: 'Error answers by problem code',
    description:
      'Error answers per second by the problem code of their application/problem+json body (`validation-failed`, `not-found`, `conflict`…).',
    kind: 'timeseries',
    unit: 'reqps',
    width: 12,
    queries: [
      {
        expr: `sum by (service, code) (rate(${sel('stepwise_http_problems_total')}${RATE}))`,
        legend: '{{service}} {{code}}',
      },
    ],
  },
  {
    title: 'Latency p50 / p95 / p99 by service',
    description: 'Request duration percentiles over all API routes of each service.',
    kind: 'timeseries',
    unit: 's',
    width: 12,
    queries: [0.5, 0.95, 0.99].map((q) => ({
      expr: quantile(q, HTTP_BUCKET, 'service', API),
      legend: `{{service}} p${Math.round(q * 100)}`,
    })),
  },
  {
    title: 'Latency p95 by route',
    description: 'The slowest route templates first: where to look when a service is slow.',
    kind: 'timeseries',
    unit: 's',
    width: 24,
    queries: [
      {
        expr: `topk(10, ${quantile(0.95, HTTP_BUCKET, 'service, method, route', API)})`,
        legend: '{{service}} {{method}} {{route}}',
      },
    ],
  },
];

const outbox: PanelSpec[] = [
  {
    title: 'Outbox backlog',
    description:
      'Committed events not yet published, per service (read from the outbox table; every replica reports the same table, hence max).',
    kind: 'timeseries',
    unit: 'short',
    queries: [{ expr: `max by (service) (${sel('stepwise_outbox_backlog')})`, legend: '{{service}}' }],
  },
  {
    title: 'Oldest unpublished event age',
    description:
      'How long the oldest committed event has waited for the relay. Normally well under a second; the OutboxEventsStuck alert fires above 60 s for 5 minutes.',
    kind: 'timeseries',
    unit: 's',
    queries: [
      {
        expr: `max by (service) (${sel('stepwise_outbox_oldest_unpublished_age_seconds')})`,
        legend: '{{service}}',
      },
    ],
  },
  {
    title: 'Publish latency p50 / p99',
    description: 'From the outbox row being written to the broker acknowledging it.',
    kind: 'timeseries',
    unit: 's',
    queries: [0.5, 0.99].map((q) => ({
      expr: quantile(q, 'stepwise_outbox_publish_latency_seconds_bucket', 'service'),
      legend: `{{service}} p${Math.round(q * 100)}`,
    })),
  },
  {
    title: 'Events published by type',
    description: 'Events the relays published and the broker acknowledged, per second, by CloudEvents type.',
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      {
        expr: `sum by (service, type) (rate(${sel('stepwise_events_published_total')}${RATE}))`,
        legend: '{{type}}',
      },
    ],
  },
  {
    title: 'Publish and wake-up failures',
    description:
      'Outbox batches the broker did not acknowledge (retried), and post-commit wake-ups that failed (the relay polls instead).',
    kind: 'timeseries',
    unit: 'short',
    width: 6,
    queries: [
      {
        expr: `sum by (service) (rate(${sel('stepwise_event_publish_failures_total')}${RATE}))`,
        legend: '{{service}} publish',
      },
      {
        expr: `sum by (service) (rate(${sel('stepwise_outbox_wake_up_failures_total')}${RATE}))`,
        legend: '{{service}} wake-up',
      },
    ],
  },
  {
    title: 'Relay lease holder',
    description:
      'Replicas whose relay holds the lease, per service: exactly 1 is healthy; 0 means nothing publishes (RelayLeaseUnheld). The legend names the holding replica.',
    kind: 'timeseries',
    unit: 'short',
    width: 6,
    queries: [
      { expr: `sum by (service) (${sel('stepwise_relay_lease_holder')})`, legend: '{{service}}' },
      { expr: `${sel('stepwise_relay_lease_holder')} == 1`, legend: '{{service}} held by {{holder}}' },
    ],
  },
];

/** Work a service leaves for right after the commit (sessions' progress evaluations): its backlog and age. */
const afterCommit: PanelSpec[] = [
  {
    title: 'Progress evaluations due and retrying',
    description:
      "Episodes whose progress evaluation (closed weeks, engagement risks, step-down and step-up recommendations) waits to run after the attendance that changed them committed, and those whose evaluation failed and waits for a retry (backing off up to 5 minutes; the episode id is in the service's log). Normally 0 between bursts.",
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      { expr: `max by (service) (${sel('stepwise_progress_evaluations_due')})`, legend: '{{service}} due' },
      {
        expr: `max by (service) (${sel('stepwise_progress_evaluations_retrying')})`,
        legend: '{{service}} retrying',
      },
    ],
  },
  {
    title: 'Oldest progress evaluation due',
    description:
      'How long the oldest episode due for evaluation has waited since it was marked. Normally well under a second; ProgressEvaluationsStuck fires above 5 minutes for 10 minutes: recommendations and risks are late for the counselors.',
    kind: 'timeseries',
    unit: 's',
    width: 12,
    queries: [
      {
        expr: `max by (service) (${sel('stepwise_progress_evaluation_oldest_age_seconds')})`,
        legend: '{{service}}',
      },
    ],
  },
];

const consumers: PanelSpec[] = [
  {
    title: 'Consumer lag by group, topic and partition',
    description:
      'Records between the last fetched batch and the end of each partition. Lag that keeps growing means the consumer cannot keep up (ConsumerLagGrowing).',
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      {
        expr: `max by (consumer, topic, partition) (${sel('stepwise_consumer_lag')})`,
        legend: '{{consumer}} {{topic}}[{{partition}}]',
      },
    ],
  },
  {
    title: 'Events consumed by type',
    description: 'Events applied per second (inbox row and effects committed), by consumer group and type.',
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      {
        expr: `sum by (consumer, type) (rate(${sel('stepwise_events_consumed_total')}${RATE}))`,
        legend: '{{consumer}} {{type}}',
      },
    ],
  },
  {
    title: 'Handler duration p95 by type',
    description: 'Time to apply one event (inbox insert, handler, commit), 95th percentile.',
    kind: 'timeseries',
    unit: 's',
    width: 12,
    queries: [
      {
        expr: quantile(0.95, 'stepwise_event_handler_duration_seconds_bucket', 'consumer, type'),
        legend: '{{consumer}} {{type}}',
      },
    ],
  },
  {
    title: 'Handler failures and skipped records',
    description:
      'Failed handler attempts (retried, then dead-lettered), redeliveries the inbox skipped, types without a handler, and ids reused with a different payload.',
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      ['stepwise_event_handler_failures_total', 'failed'],
      ['stepwise_events_skipped_duplicate_total', 'duplicate'],
      ['stepwise_events_skipped_unhandled_total', 'unhandled'],
      ['stepwise_events_conflicting_id_total', 'conflicting id'],
    ].map(([metric, what]) => ({
      expr: `sum by (consumer) (rate(${sel(metric as string)}${RATE}))`,
      legend: `{{consumer}} ${what as string}`,
    })),
  },
  {
    title: 'Dead letters by reason (per hour)',
    description:
      "Records sent to a service's dead-letter topic in the last hour, by type and reason. Any dead letter fires DeadLetterRecorded; replay with `main.js replay-dead-letters` once the cause is fixed.",
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      {
        expr: `sum by (consumer, type, reason) (increase(${sel('stepwise_events_dead_lettered_total')}[1h]))`,
        legend: '{{consumer}} {{type}} {{reason}}',
      },
    ],
  },
  {
    title: 'Batch runs and transient waits',
    description:
      'Partition batches applied in one transaction or record by record (after something unusual), and waits on an unavailable database or broker.',
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      {
        expr: `sum by (consumer, outcome) (rate(${sel('stepwise_consumer_runs_total')}${RATE}))`,
        legend: '{{consumer}} {{outcome}}',
      },
      {
        expr: `sum by (consumer) (rate(${sel('stepwise_consumer_transient_errors_total')}${RATE}))`,
        legend: '{{consumer}} transient wait',
      },
    ],
  },
];

const database: PanelSpec[] = [
  {
    title: 'Transaction retries',
    description:
      'Use cases run again after Postgres aborted them as a deadlock victim (40P01) or for serialization (40001). A steady rate means contention on the same rows.',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      {
        expr: `sum by (service, code) (rate(${sel('stepwise_transaction_retries_total')}${RATE}))`,
        legend: '{{service}} {{code}}',
      },
    ],
  },
  {
    title: 'Database pool usage',
    description:
      'Connections of each replica\'s Postgres pool in use, idle and waited for, against the configured size. "Waiting" above zero means requests queue for a connection.',
    kind: 'timeseries',
    unit: 'short',
    width: 16,
    queries: [
      {
        expr: `sum by (service, state) (${sel('stepwise_db_pool_connections')})`,
        legend: '{{service}} {{state}}',
      },
      { expr: `sum by (service) (${sel('stepwise_db_pool_max')})`, legend: '{{service}} pool size' },
    ],
  },
];

const processes: PanelSpec[] = [
  {
    title: 'Scrape up',
    description:
      'Replicas Prometheus scraped successfully, per service (ServiceDown fires on a failed scrape).',
    kind: 'stat',
    unit: 'short',
    width: 6,
    queries: [{ expr: `sum by (service) (${sel('up')})`, legend: '{{service}}' }],
  },
  {
    title: 'Readiness by check',
    description: 'Each readiness check of /health/ready (1 passing, 0 failing), lowest over the replicas.',
    kind: 'timeseries',
    unit: 'short',
    width: 6,
    queries: [
      { expr: `min by (service, check) (${sel('stepwise_readiness')})`, legend: '{{service}} {{check}}' },
    ],
  },
  {
    title: 'Resident memory',
    description: 'Resident memory per replica.',
    kind: 'timeseries',
    unit: 'bytes',
    width: 6,
    queries: [
      { expr: sel('process_resident_memory_bytes'), legend: '{{service}} {{instance}}' },
      { expr: sel('nodejs_heap_size_used_bytes'), legend: '{{service}} {{instance}} heap used' },
    ],
  },
  {
    title: 'Event-loop lag p99',
    description:
      'How long ready work waited for the event loop (99th percentile): CPU-bound work or blocking calls show here first.',
    kind: 'timeseries',
    unit: 's',
    width: 6,
    queries: [{ expr: sel('nodejs_eventloop_lag_p99_seconds'), legend: '{{service}} {{instance}}' }],
  },
  {
    title: 'CPU',
    description: 'CPU seconds per second used by each replica (1 = one core).',
    kind: 'timeseries',
    unit: 'short',
    width: 6,
    queries: [
      { expr: `rate(${sel('process_cpu_seconds_total')}${RATE})`, legend: '{{service}} {{instance}}' },
    ],
  },
];

export const PLATFORM_DASHBOARD: DashboardSpec = {
  uid: 'stepwise-platform',
  title: 'Stepwise / Platform',
  description:
    'For on-call engineers: per service RED, the outbox and its relay, the progress evaluations left for after the commit, consumers and dead letters, the database and the processes. Generated by tools/observability; edit the generator, not Grafana.',
  tags: ['stepwise', 'generated'],
  refresh: '30s',
  timeFrom: 'now-3h',
  variables: [{ name: 'service', label: 'Service', metric: `up{${JOB}}`, labelName: 'service' }],
  rows: [
    { title: 'Requests (rate, errors, duration)', panels: requests },
    { title: 'Outbox and relay', panels: outbox },
    { title: 'Progress evaluations after the commit', panels: afterCommit },
    { title: 'Consumers and dead letters', panels: consumers },
    { title: 'Database', panels: database },
    { title: 'Processes and readiness', panels: processes },
  ],
};
