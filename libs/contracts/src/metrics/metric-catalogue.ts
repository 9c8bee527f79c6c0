/**
 * The metric catalogue: every Prometheus series the dashboards and alert rules read, declared once with its type,
 * labels and meaning. Metrics are an interface to operations as events are to subscribers: a dashboard or alert
 * on a renamed metric goes blank without an error, so names live here, the dashboards and rules are generated
 * against this list (tools/observability), and a workspace test checks it against the services' source both ways.
 *
 * `planned` entries are metrics the Program dashboard needs that no service serves yet: the name, type and labels
 * are fixed here so the service that adopts one registers exactly this (and flips it to `served`), and the panels
 * over it fill in without a dashboard change.
 *
 * Labels carry codes from bounded vocabularies, route templates and site ids — never a client id, a name, a
 * contact or any other client data.
 */
import { type ServiceName } from '../topics/topics';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  /** Labels besides `service` (every prom-client metric) and Prometheus's `job` and `instance`, with their values. */
  readonly labels: Readonly<Record<string, string>>;
  readonly meaning: string;
  /** Which processes serve it: every service, some, or Prometheus itself (scrape health). */
  readonly servedBy: 'every service' | readonly ServiceName[] | 'prometheus';
  /** Where it is updated (the file registering it), or where it should be once adopted. */
  readonly source: string;
  readonly status: 'served' | 'planned';
}

const MESSAGING = 'libs/messaging/src';
const CONSUMER_LABELS = {
  consumer: 'consumer group name (`stepwise-<service>`)',
  type: 'CloudEvents type of the event (`care.<service>.<Event>.v<n>`)',
} as const;
const SITE = 'site id (a UUID of a clinic; never a client)';
const LEVEL = 'ASAM level-of-care code (`2.1`, `1`, …)';
const CONSUMERS: readonly ServiceName[] = ['intake', 'scheduling', 'sessions', 'notifications'];

export const METRIC_CATALOGUE: readonly MetricDefinition[] = [
  // --- Scrape health, from Prometheus itself
  {
    name: 'up',
    type: 'gauge',
    labels: {},
    meaning: '1 when Prometheus scraped the target successfully, 0 when the scrape failed',
    servedBy: 'prometheus',
    source: 'Prometheus (every scrape target)',
    status: 'served',
  },
  // --- HTTP (libs/platform)
  {
    name: 'http_server_request_duration_seconds',
    type: 'histogram',
    labels: {
      method: 'HTTP method',
      route: 'route template (`/v1/clients/:id`), `unmatched` when no route matched',
      status_code: 'HTTP status code',
    },
    meaning: 'Duration of HTTP requests served: rate, errors (status) and latency in one histogram',
    servedBy: 'every service',
    source: 'libs/platform/src/metrics/http-metrics.middleware.ts',
    status: 'served',
  },
  {
    name: 'stepwise_http_problems_total',
    type: 'counter',
    labels: {
      route: 'route template',
      status_code: 'HTTP status code',
      code: 'problem code of the answer (`validation-failed`, `not-found`, …)',
    },
    meaning:
      'Error answers by problem code (the `code` of the application/problem+json body); refused before routing (malformed JSON, too large) under route `unmatched`',
    servedBy: 'every service',
    source: 'libs/platform/src/metrics/http-problems.ts',
    status: 'served',
  },
  {
    name: 'stepwise_readiness',
    type: 'gauge',
    labels: { check: 'readiness check (`database`, `kafka`, `redis`, `consumer`, `lifecycle`)' },
    meaning: '1 when the readiness check passes, 0 when it fails (what `/health/ready` reports, per check)',
    servedBy: 'every service',
    source: 'libs/platform/src/health/readiness-gauge.ts',
    status: 'served',
  },
  {
    name: 'stepwise_db_pool_connections',
    type: 'gauge',
    labels: { state: '`active`, `idle` or `waiting` (requests queued for a connection)' },
    meaning: "Connections of the service's Postgres pool by state, read from the pg pool at scrape time",
    servedBy: 'every service',
    source: 'libs/platform/src/persistence/pool-gauges.ts',
    status: 'served',
  },
  {
    name: 'stepwise_db_pool_max',
    type: 'gauge',
    labels: {},
    meaning: 'Configured size of the Postgres pool (`DATABASE_POOL_SIZE`)',
    servedBy: 'every service',
    source: 'libs/platform/src/persistence/pool-gauges.ts',
    status: 'served',
  },
  // --- Process (prom-client default metrics, libs/platform MetricsService)
  {
    name: 'process_resident_memory_bytes',
    type: 'gauge',
    labels: {},
    meaning: 'Resident memory of the process',
    servedBy: 'every service',
    source: 'prom-client collectDefaultMetrics (libs/platform/src/metrics/metrics.service.ts)',
    status: 'served',
  },
  {
    name: 'nodejs_heap_size_used_bytes',
    type: 'gauge',
    labels: {},
    meaning: 'V8 heap in use',
    servedBy: 'every service',
    source: 'prom-client collectDefaultMetrics (libs/platform/src/metrics/metrics.service.ts)',
    status: 'served',
  },
  {
    name: 'nodejs_eventloop_lag_p99_seconds',
    type: 'gauge',
    labels: {},
    meaning:
      '99th percentile of event-loop delay since the last scrape: how long ready work waited for the loop',
    servedBy: 'every service',
    source: 'prom-client collectDefaultMetrics (libs/platform/src/metrics/metrics.service.ts)',
    status: 'served',
  },
  {
    name: 'process_cpu_seconds_total',
    type: 'counter',
    labels: {},
    meaning: 'CPU time the process used (user and system)',
    servedBy: 'every service',
    source: 'prom-client collectDefaultMetrics (libs/platform/src/metrics/metrics.service.ts)',
    status: 'served',
  },
  // --- Outbox and relay (libs/messaging)
  {
    name: 'stepwise_events_published_total',
    type: 'counter',
    labels: { type: CONSUMER_LABELS.type },
    meaning: 'Events the outbox relay published and the broker acknowledged',
    servedBy: 'every service',
    source: `${MESSAGING}/relay/outbox-relay.service.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_event_publish_failures_total',
    type: 'counter',
    labels: {},
    meaning: 'Outbox batches the broker did not acknowledge (retried)',
    servedBy: 'every service',
    source: `${MESSAGING}/relay/outbox-relay.service.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_outbox_publish_latency_seconds',
    type: 'histogram',
    labels: {},
    meaning: 'From the outbox row being written to the broker acknowledging it',
    servedBy: 'every service',
    source: `${MESSAGING}/relay/outbox-relay.service.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_relay_lease_holder',
    type: 'gauge',
    labels: { holder: 'replica id (`<hostname>-<pid>`)' },
    meaning: 'Per replica: 1 while its outbox relay holds the lease, 0 on standbys',
    servedBy: 'every service',
    source: `${MESSAGING}/relay/outbox-relay.service.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_outbox_pruned_total',
    type: 'counter',
    labels: {},
    meaning: 'Published outbox rows deleted after the retention period',
    servedBy: 'every service',
    source: `${MESSAGING}/relay/outbox-relay.service.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_outbox_backlog',
    type: 'gauge',
    labels: {},
    meaning: 'Committed outbox rows not yet published (read from the table at scrape time)',
    servedBy: 'every service',
    source: `${MESSAGING}/relay/outbox-relay.service.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_outbox_oldest_unpublished_age_seconds',
    type: 'gauge',
    labels: {},
    meaning: 'Age of the oldest committed outbox row not yet published (0 when none)',
    servedBy: 'every service',
    source: `${MESSAGING}/relay/outbox-relay.service.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_outbox_wake_up_failures_total',
    type: 'counter',
    labels: {},
    meaning: 'Relay wake-ups (pg_notify after commit) that failed; the relay polls instead',
    servedBy: 'every service',
    source: `${MESSAGING}/outbox/outbox-wake-up.service.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_transaction_retries_total',
    type: 'counter',
    labels: { code: 'SQLSTATE of the abort (`40P01` deadlock, `40001` serialization)' },
    meaning: 'Use cases run again after Postgres aborted them as a deadlock victim or for serialization',
    servedBy: 'every service',
    source: `${MESSAGING}/messaging.module.ts`,
    status: 'served',
  },
  // --- Consumers (libs/messaging)
  {
    name: 'stepwise_events_consumed_total',
    type: 'counter',
    labels: CONSUMER_LABELS,
    meaning: 'Events applied by a consumer (inbox row and effects committed)',
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_events_skipped_duplicate_total',
    type: 'counter',
    labels: CONSUMER_LABELS,
    meaning: 'Redelivered events skipped by the inbox',
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_events_skipped_unhandled_total',
    type: 'counter',
    labels: CONSUMER_LABELS,
    meaning: 'Events of a type the consumer has no handler for, skipped deliberately',
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_events_conflicting_id_total',
    type: 'counter',
    labels: CONSUMER_LABELS,
    meaning: 'Events reusing an applied id with a different payload (flagged, not applied)',
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_event_handler_failures_total',
    type: 'counter',
    labels: CONSUMER_LABELS,
    meaning: 'Handler attempts that failed (retried, then dead-lettered)',
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_events_dead_lettered_total',
    type: 'counter',
    labels: { ...CONSUMER_LABELS, reason: '`contract-violation` or `handler-failed`' },
    meaning: "Records sent to the service's dead-letter topic",
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_consumer_transient_errors_total',
    type: 'counter',
    labels: { consumer: CONSUMER_LABELS.consumer },
    meaning:
      'Waits on an unavailable database or broker, or on data not arrived yet (never counted against a record)',
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_event_handler_duration_seconds',
    type: 'histogram',
    labels: CONSUMER_LABELS,
    meaning: 'Time to apply one event: inbox insert, handler and commit',
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_consumer_lag',
    type: 'gauge',
    labels: {
      consumer: CONSUMER_LABELS.consumer,
      topic: 'Kafka topic (with the environment prefix)',
      partition: 'partition number',
    },
    meaning: 'Records between the last fetched batch and the end of the partition',
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  {
    name: 'stepwise_consumer_runs_total',
    type: 'counter',
    labels: {
      consumer: CONSUMER_LABELS.consumer,
      outcome: 'a run applied in one transaction, or taken record by record after something unusual',
    },
    meaning: 'Runs of records of a partition batch, by how they were applied',
    servedBy: CONSUMERS,
    source: `${MESSAGING}/consumer/consumer-metrics.ts`,
    status: 'served',
  },
  // --- Program (the services' own)
  {
    name: 'stepwise_active_clients',
    type: 'gauge',
    labels: { site: SITE, level: LEVEL, population: '`adult` or `adolescent`' },
    meaning: 'Clients in an active episode of care (read from the episodes at scrape time)',
    servedBy: ['intake'],
    source: 'apps/intake/src/episodes/program-gauges.ts',
    status: 'served',
  },
  {
    name: 'stepwise_notifications_total',
    type: 'counter',
    labels: {
      kind: 'notification kind (reminder, alert, family update, …)',
      channel: '`email`, `sms` or `webhook`',
      outcome: '`sent`, `suppressed`, `deferred`, `retrying`, `failed` or `cancelled`',
      reason: 'suppression reason or error code (empty when sent)',
    },
    meaning: 'What became of each notification attempt',
    servedBy: ['notifications'],
    source: 'apps/notifications/src/delivery/delivery-metrics.ts',
    status: 'served',
  },
  {
    name: 'stepwise_webhook_deliveries_held',
    type: 'gauge',
    labels: {},
    meaning:
      'Webhook deliveries held back behind an earlier, failing delivery of the same client to the same subscriber (per-client order); read from the notifications at scrape time, the same on every replica. Which subscriber: GET /v1/webhook-subscriptions (heldDeliveries)',
    servedBy: ['notifications'],
    source: 'apps/notifications/src/delivery/webhook-hold-gauges.ts',
    status: 'served',
  },
  {
    name: 'stepwise_webhook_held_oldest_age_seconds',
    type: 'gauge',
    labels: {},
    meaning:
      'Seconds the oldest held-back webhook delivery has waited since it was queued (0 when none is held)',
    servedBy: ['notifications'],
    source: 'apps/notifications/src/delivery/webhook-hold-gauges.ts',
    status: 'served',
  },
  {
    name: 'stepwise_progress_evaluations_due',
    type: 'gauge',
    labels: {},
    meaning:
      "Episodes whose progress evaluation (weeks, risks, recommendations) waits to run after the change's commit; read from sessions' evaluations_due at scrape time, the same on every replica",
    servedBy: ['sessions'],
    source: 'apps/sessions/src/progress/evaluation-gauges.ts',
    status: 'served',
  },
  {
    name: 'stepwise_progress_evaluations_retrying',
    type: 'gauge',
    labels: {},
    meaning:
      'Episodes whose progress evaluation failed and waits for its next attempt (backing off up to 5 minutes); which episode: the service log',
    servedBy: ['sessions'],
    source: 'apps/sessions/src/progress/evaluation-gauges.ts',
    status: 'served',
  },
  {
    name: 'stepwise_progress_evaluation_oldest_age_seconds',
    type: 'gauge',
    labels: {},
    meaning:
      'Seconds the oldest episode due for evaluation has waited since it was marked (0 when none is due)',
    servedBy: ['sessions'],
    source: 'apps/sessions/src/progress/evaluation-gauges.ts',
    status: 'served',
  },
  {
    name: 'stepwise_admissions_total',
    type: 'counter',
    labels: { site: SITE, level: LEVEL, population: '`adult` or `adolescent`' },
    meaning:
      'Clients admitted (an episode of care opened), counted when AdmitClient commits (apps/intake/src/episodes/admit-client.ts)',
    servedBy: ['intake'],
    source: 'apps/intake/src/episodes/program-counters.ts',
    status: 'served',
  },
  {
    name: 'stepwise_discharges_total',
    type: 'counter',
    labels: { site: SITE, level: LEVEL, reason: 'discharge reason code (`completed`, `transferred`, …)' },
    meaning:
      'Episodes of care closed by discharge (level: the clinical level at discharge), counted when DischargeEpisode commits',
    servedBy: ['intake'],
    source: 'apps/intake/src/episodes/program-counters.ts',
    status: 'served',
  },
  {
    name: 'stepwise_session_attendance_total',
    type: 'counter',
    labels: { site: SITE, outcome: '`attended` or `missed`' },
    meaning:
      "A client's group or individual session documented the first time, attended or missed (attendance rate); a correction is not counted again (record-attendance.ts, on commit)",
    servedBy: ['sessions'],
    source: 'apps/sessions/src/progress/program-counters.ts',
    status: 'served',
  },
  {
    name: 'stepwise_weekly_hours_shortfalls_total',
    type: 'counter',
    labels: { site: SITE, level: LEVEL },
    meaning:
      'Closed treatment weeks short of the weekly minimum hours of the level of care, counted where WeeklyHoursShortfall is published (evaluate-episode.ts, on commit)',
    servedBy: ['sessions'],
    source: 'apps/sessions/src/progress/program-counters.ts',
    status: 'served',
  },
  {
    name: 'stepwise_level_of_care_recommendations_total',
    type: 'counter',
    labels: { site: SITE, direction: '`step-down` or `step-up`' },
    meaning:
      'Step-down and step-up recommendations the clinical rules raised, counted where StepDown/StepUpRecommended is published (evaluate-episode.ts, on commit)',
    servedBy: ['sessions'],
    source: 'apps/sessions/src/progress/program-counters.ts',
    status: 'served',
  },
  {
    name: 'stepwise_level_of_care_decisions_total',
    type: 'counter',
    labels: { site: SITE, direction: '`step-down` or `step-up`', decision: '`approved` or `declined`' },
    meaning:
      'Level-of-care reviews decided by a clinician (approve-review.ts, decline-review.ts, when they commit); reviews a discharge closed are not decisions',
    servedBy: ['intake'],
    source: 'apps/intake/src/episodes/program-counters.ts',
    status: 'served',
  },
  {
    name: 'stepwise_open_level_of_care_reviews',
    type: 'gauge',
    labels: { site: SITE, direction: '`step-down` or `step-up`' },
    meaning: 'Level-of-care reviews opened and not yet decided (read from the reviews at scrape time)',
    servedBy: ['intake'],
    source: 'apps/intake/src/episodes/program-gauges.ts',
    status: 'served',
  },
  {
    name: 'stepwise_open_level_of_care_review_oldest_age_seconds',
    type: 'gauge',
    labels: { site: SITE, direction: '`step-down` or `step-up`' },
    meaning:
      'Seconds since the oldest undecided level-of-care review was recommended (absent when none is open)',
    servedBy: ['intake'],
    source: 'apps/intake/src/episodes/program-gauges.ts',
    status: 'served',
  },
  {
    name: 'stepwise_drug_screens_total',
    type: 'counter',
    labels: { site: SITE, result: '`negative`, `positive`, `dilute`, `invalid` or `refused`' },
    meaning:
      'Drug screens resulted, by result (never the substances or the client), counted when RecordDrugScreen commits',
    servedBy: ['sessions'],
    source: 'apps/sessions/src/progress/program-counters.ts',
    status: 'served',
  },
];

const SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: [''],
  gauge: [''],
  histogram: ['_bucket', '_sum', '_count'],
};

/** Every series name a query may use for a catalogued metric (a histogram's `_bucket`, `_sum`, `_count`). */
export function seriesNames(metric: MetricDefinition): string[] {
  return SUFFIXES[metric.type].map((suffix) => `${metric.name}${suffix}`);
}

/** The catalogued metric a series name belongs to, if any. */
export function metricOfSeries(series: string): MetricDefinition | undefined {
  return METRIC_CATALOGUE.find((metric) => seriesNames(metric).includes(series));
}
