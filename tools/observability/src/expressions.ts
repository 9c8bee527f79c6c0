import { metricOfSeries } from '@stepwise/contracts';
import { parser } from '@prometheus-io/lezer-promql';
import { ALERT_RULES, RECORDING_RULES } from './alerts/alert-rules';
import { DASHBOARDS } from './artifacts';
import { dashboardQueries } from './dashboards/dashboard-spec';
import { resolveGrafanaVariables } from './promql';

/**
 * Every PromQL expression the observability artefacts hold — each dashboard query (and variable selector),
 * each recording and alerting rule — as Prometheus receives it (Grafana variables at their "All" value), with
 * the catalogued metrics it reads. A test evaluating them against a live Prometheus starts from this list:
 * `expectsData` is false where a query reads a planned metric no service serves yet, or counts something that
 * should stay at zero in a healthy run (dead letters, failures), and alert expressions are conditions that are
 * empty while all is well.
 */
export interface ObservabilityExpression {
  readonly id: string;
  readonly source: 'dashboard' | 'recording-rule' | 'alert';
  /** As written (dashboards keep their Grafana variables). */
  readonly written: string;
  /** As Prometheus is sent it. */
  readonly expr: string;
  readonly metrics: readonly string[];
  readonly readsPlannedMetric: boolean;
}

/** Names the rules themselves define (recording rules), valid in later expressions. */
export const RECORDED_SERIES: readonly string[] = RECORDING_RULES.map((rule) => rule.record);

/** The metric names an expression selects (vector and matrix selectors), as the PromQL grammar reads it. */
export function selectedMetricNames(expr: string): string[] {
  const names = new Set<string>();
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.name === 'VectorSelector') {
      const identifier = cursor.node.getChild('Identifier');
      if (identifier) names.add(expr.slice(identifier.from, identifier.to));
    }
  } while (cursor.next());
  return [...names].sort();
}

/** Every label name an expression uses: in matchers, `by`/`without` groupings and `on`/`ignoring` clauses. */
export function usedLabelNames(expr: string): string[] {
  const names = new Set<string>();
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.name === 'LabelName') names.add(expr.slice(cursor.from, cursor.to));
  } while (cursor.next());
  return [...names].sort();
}

/** Syntax errors the grammar reports, as `position: text` (empty when the expression parses). */
export function promqlSyntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError)
      errors.push(`${cursor.from}: ${JSON.stringify(expr.slice(cursor.from, cursor.from + 20))}`);
  } while (cursor.next());
  return errors;
}

function describe(
  id: string,
  source: ObservabilityExpression['source'],
  written: string,
): ObservabilityExpression {
  const expr = resolveGrafanaVariables(written);
  const metrics = selectedMetricNames(expr);
  return {
    id,
    source,
    written,
    expr,
    metrics,
    readsPlannedMetric: metrics.some((name) => metricOfSeries(name)?.status === 'planned'),
  };
}

export function allObservabilityExpressions(): ObservabilityExpression[] {
  return [
    ...DASHBOARDS.flatMap((spec) =>
      dashboardQueries(spec).map((query, index) =>
        describe(`${query.dashboard}/${query.panel}#${index}`, 'dashboard', query.expr),
      ),
    ),
    ...RECORDING_RULES.map((rule) => describe(`record/${rule.record}`, 'recording-rule', rule.expr)),
    ...ALERT_RULES.map((rule) => describe(`alert/${rule.alert}`, 'alert', rule.expr)),
  ];
}
