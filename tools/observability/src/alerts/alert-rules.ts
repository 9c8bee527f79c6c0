import { stringify } from 'yaml';
import { JOB, serverErrorRatio } from '../promql';

/**
 * The alert rules, as data: rendered into a Prometheus rule file, listed for the tests (parse, metric names,
 * runbooks, live evaluation), and described in docs/observability.md. Each alert links its runbook,
 * docs/runbooks/<alert>.md, which says what it means, how to confirm it and what to do.
 */
export type Severity = 'critical' | 'warning';

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before the alert fires (Prometheus `for`). */
  readonly for: string;
  readonly severity: Severity;
  /** Who acts: `platform` (on-call engineers) or `clinical-operations` (program managers, business hours). */
  readonly team: 'platform' | 'clinical-operations';
  readonly summary: string;
  readonly description: string;
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

export const RUNBOOK_DIR = 'docs/runbooks';
export const runbookPath = (alert: string): string => `${RUNBOOK_DIR}/${alert}.md`;

/**
 * Where readers open the repository's `docs/` folder: its page on the project's public forge. Alertmanager and
 * Grafana show `runbook_url` as a link, so it must be absolute (a repository path opens nothing). package.json
 * names no repository, so this is the project's chosen address, declared here once. A fork or an installation
 * with its own copy of the docs regenerates with its own (docs/observability.md, "Alert rules"):
 * `npx nx run observability:generate -- --docs-url=https://…` and then `npx nx run k8s:generate`.
 */
export const DOCS_URL = 'https://github.com/stepwise-iop/stepwise/blob/main/docs';

/** The runbook's address under a docs base URL: `<docsUrl>/runbooks/<alert>.md`. */
export function runbookUrl(alert: string, docsUrl: string = DOCS_URL): string {
  const base = new URL(docsUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new Error(`The docs URL must be an http(s) URL, not ${base.protocol}`);
  return `${docsUrl.replace(/\/+$/, '')}/${runbookPath(alert).slice('docs/'.length)}`;
}

/** Operational routes are probed and scraped all day; their answers are not the product's errors. */
const API = 'route!~"/health/.*|/metrics"';
const HTTP_COUNT = 'http_server_request_duration_seconds_count';

/**
 * Availability SLO: 99.5% of API requests of each service answered without a server error over 30 days, an
 * error budget of 0.5%. The burn-rate alerts follow the multi-window pattern of Google's SRE workbook: a fast
 * burn (14.4× the budget rate: 2% of the monthly budget in one hour) pages, a slow one (6×: 5% in six hours)
 * warns, and each must hold over a long and a short window so it fires quickly and clears quickly.
 */
export const SLO_ERROR_BUDGET = 0.005;
const BURN_WINDOWS = ['5m', '30m', '1h', '6h'] as const;
const errorRatio = (window: string): string => `service:http_server_error_ratio:rate${window}`;

export const RECORDING_RULES: readonly RecordingRule[] = BURN_WINDOWS.map((window) => ({
  record: errorRatio(window),
  expr: serverErrorRatio(
    `${HTTP_COUNT}{${JOB}, ${API}}`,
    `${HTTP_COUNT}{${JOB}, ${API}, status_code=~"5.."}`,
    `[${window}]`,
  ),
}));

function burn(long: string, short: string, factor: number): string {
  const threshold = `${factor} * ${SLO_ERROR_BUDGET}`;
  return `${errorRatio(long)} > (${threshold}) and ${errorRatio(short)} > (${threshold})`;
}

const DEAD_LETTERS = `stepwise_events_dead_lettered_total{${JOB}}`;
const SHORTFALLS = `stepwise_weekly_hours_shortfalls_total{${JOB}}`;

export const ALERT_RULES: readonly AlertRule[] = [
  {
    alert: 'ServiceDown',
    expr: `up{${JOB}} == 0`,
    for: '2m',
    severity: 'critical',
    team: 'platform',
    summary: '{{ $labels.service }} replica {{ $labels.instance }} does not answer scrapes',
    description:
      'Prometheus has failed to scrape /metrics of this replica for 2 minutes: the process is down, hung or unreachable.',
  },
  {
    alert: 'ServiceNotReady',
    expr: `min by (service, instance, check) (stepwise_readiness{${JOB}}) == 0`,
    for: '3m',
    severity: 'critical',
    team: 'platform',
    summary: '{{ $labels.service }} on {{ $labels.instance }} is not ready: {{ $labels.check }} fails',
    description:
      'The readiness check {{ $labels.check }} has failed for 3 minutes, so the replica answers /health/ready 503 and receives no traffic.',
  },
  {
    alert: 'OutboxEventsStuck',
    expr: `max by (service) (stepwise_outbox_oldest_unpublished_age_seconds{${JOB}}) > 60`,
    for: '5m',
    severity: 'critical',
    team: 'platform',
    summary: '{{ $labels.service }} has not published a committed event for {{ $value | humanizeDuration }}',
    description:
      'The oldest unpublished outbox row is over a minute old and has been for 5 minutes: other services, and the clinical alerts they send, are not hearing about what happened.',
  },
  {
    alert: 'ProgressEvaluationsStuck',
    expr: `max by (service) (stepwise_progress_evaluation_oldest_age_seconds{${JOB}}) > 300`,
    for: '10m',
    severity: 'warning',
    team: 'platform',
    summary:
      '{{ $labels.service }} has not evaluated an episode marked due {{ $value | humanizeDuration }} ago',
    description:
      "An episode's progress evaluation has waited over 5 minutes and has for 10 minutes: closed weeks, engagement risks and step-down or step-up recommendations are late for the counselors, though the attendance behind them is recorded.",
  },
  {
    alert: 'RelayLeaseUnheld',
    expr: `sum by (service) (stepwise_relay_lease_holder{${JOB}}) < 1`,
    for: '2m',
    severity: 'critical',
    team: 'platform',
    summary: 'No replica of {{ $labels.service }} holds the outbox relay lease',
    description:
      'Every replica of the service reports 0 for the relay lease for 2 minutes, so nothing publishes its events.',
  },
  {
    alert: 'ConsumerLagGrowing',
    expr:
      `sum by (service, consumer, topic) (stepwise_consumer_lag{${JOB}}) > 100` +
      ` and sum by (service, consumer, topic) (deriv(stepwise_consumer_lag{${JOB}}[10m])) > 0`,
    for: '10m',
    severity: 'warning',
    team: 'platform',
    summary: '{{ $labels.consumer }} falls behind on {{ $labels.topic }} ({{ $value }} records)',
    description:
      'The consumer has been more than 100 records behind on this topic, and further behind each minute, for 10 minutes.',
  },
  {
    alert: 'DeadLetterRecorded',
    // `increase` needs two samples of a series, and a labelled counter appears with its first dead letter at 1;
    // the second half catches that first one (a series present now that was absent 15 minutes ago).
    expr:
      `sum by (service, consumer, type, reason) (increase(${DEAD_LETTERS}[15m])) > 0` +
      ` or sum by (service, consumer, type, reason) (${DEAD_LETTERS} unless ${DEAD_LETTERS} offset 15m)`,
    for: '0m',
    severity: 'warning',
    team: 'platform',
    summary: '{{ $labels.consumer }} dead-lettered {{ $labels.type }} ({{ $labels.reason }})',
    description:
      'A record could not be applied and went to the dead-letter topic: its effect (a projection row, a notification) is missing until the cause is fixed and the dead letters are replayed.',
  },
  {
    alert: 'ErrorBudgetBurnFast',
    expr: burn('1h', '5m', 14.4),
    for: '2m',
    severity: 'critical',
    team: 'platform',
    summary:
      '{{ $labels.service }} burns its error budget 14× too fast ({{ $value | humanizePercentage }} 5xx)',
    description:
      'Server errors over the last hour and the last 5 minutes exceed 14.4 × 0.5%: at this rate the 30-day budget is gone in about two days.',
  },
  {
    alert: 'ErrorBudgetBurnSlow',
    expr: burn('6h', '30m', 6),
    for: '15m',
    severity: 'warning',
    team: 'platform',
    summary:
      '{{ $labels.service }} burns its error budget 6× too fast ({{ $value | humanizePercentage }} 5xx)',
    description:
      'Server errors over the last 6 hours and the last 30 minutes exceed 6 × 0.5%: at this rate the 30-day budget is gone in five days.',
  },
  {
    alert: 'NotificationFailures',
    expr:
      `sum by (channel) (rate(stepwise_notifications_total{${JOB}, outcome="failed"}[30m]))` +
      ` / sum by (channel) (rate(stepwise_notifications_total{${JOB}, outcome=~"sent|failed"}[30m])) > 0.05`,
    for: '15m',
    severity: 'warning',
    team: 'platform',
    summary: 'More than 5% of {{ $labels.channel }} notifications fail ({{ $value | humanizePercentage }})',
    description:
      'Over 30 minutes, more than 5% of the notifications on this channel were given up after every retry: reminders and alerts are not reaching people.',
  },
  {
    alert: 'WeeklyHoursShortfallSpike',
    expr:
      `sum by (site) (increase(${SHORTFALLS}[7d])) >= 5` +
      ` and sum by (site) (increase(${SHORTFALLS}[7d])) > 1.5 * sum by (site) (increase(${SHORTFALLS}[28d] offset 7d)) / 4`,
    for: '1h',
    severity: 'warning',
    team: 'clinical-operations',
    summary: 'Weekly-hours shortfalls jumped at site {{ $labels.site }} ({{ $value }} this week)',
    description:
      'At least 5 treatment weeks closed short of the weekly minimum at this site in the last 7 days, over 1.5 times its average of the four weeks before.',
  },
];

/** The rule file Prometheus loads (`rule_files`), deterministic so the committed copy can be checked. */
export function renderRuleFile(docsUrl: string = DOCS_URL): string {
  const document = {
    groups: [
      {
        name: 'stepwise-slo',
        rules: RECORDING_RULES.map((rule) => ({ record: rule.record, expr: rule.expr })),
      },
      {
        name: 'stepwise-alerts',
        rules: ALERT_RULES.map((rule) => ({
          alert: rule.alert,
          expr: rule.expr,
          for: rule.for,
          labels: { severity: rule.severity, team: rule.team },
          annotations: {
            summary: rule.summary,
            description: rule.description,
            runbook_url: runbookUrl(rule.alert, docsUrl),
          },
        })),
      },
    ],
  };
  return (
    '# Generated by tools/observability (npx nx run observability:generate): edit the generator, not this file.\n' +
    stringify(document, { lineWidth: 0 })
  );
}
