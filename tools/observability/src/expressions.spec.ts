import { METRIC_CATALOGUE, metricOfSeries } from '@stepwise/contracts';
import { ALERT_RULES } from './alerts/alert-rules';
import { DASHBOARDS } from './artifacts';
import {
  RECORDED_SERIES,
  allObservabilityExpressions,
  promqlSyntaxErrors,
  selectedMetricNames,
  usedLabelNames,
} from './expressions';
import { resolveGrafanaVariables } from './promql';

const expressions = allObservabilityExpressions();
/** Labels every scraped series carries: prom-client's default label and Prometheus's target labels. */
const TARGET_LABELS = ['service', 'job', 'instance'];

/** Catalogued metrics (and recorded series) an expression may name, with the labels it may use on them. */
function knownLabels(series: string): readonly string[] | undefined {
  if (RECORDED_SERIES.includes(series)) return ['service'];
  const metric = metricOfSeries(series);
  if (metric === undefined) return undefined;
  return [...Object.keys(metric.labels), ...TARGET_LABELS, ...(series.endsWith('_bucket') ? ['le'] : [])];
}

describe('every dashboard query and rule expression', () => {
  it('is listed: every panel query, variable and rule', () => {
    const panelQueries = DASHBOARDS.flatMap((spec) => spec.rows.flatMap((row) => row.panels)).flatMap(
      (panel) => panel.queries,
    );
    const variables = DASHBOARDS.flatMap((spec) => spec.variables);
    expect(expressions.filter((e) => e.source === 'dashboard')).toHaveLength(
      panelQueries.length + variables.length,
    );
    expect(expressions.filter((e) => e.source === 'alert')).toHaveLength(ALERT_RULES.length);
    expect(expressions.filter((e) => e.source === 'recording-rule')).toHaveLength(RECORDED_SERIES.length);
    expect(new Set(expressions.map((e) => e.id)).size).toBe(expressions.length);
  });

  it.each(expressions.map((e) => [e.id, e.expr]))('%s parses as PromQL', (_id, expr) => {
    expect(promqlSyntaxErrors(expr)).toEqual([]);
  });

  it.each(expressions.map((e) => [e.id, e.expr]))(
    '%s reads only catalogued metrics and their labels',
    (_id, expr) => {
      const metrics = selectedMetricNames(expr);
      expect(metrics.length).toBeGreaterThan(0);
      expect(metrics.filter((name) => knownLabels(name) === undefined)).toEqual([]);
      const allowed = new Set(metrics.flatMap((name) => knownLabels(name) ?? []));
      expect(usedLabelNames(expr).filter((label) => !allowed.has(label))).toEqual([]);
    },
  );

  it('only names the four services in their scrape job', () => {
    const unscoped = expressions.filter((e) => !e.expr.includes('job="stepwise"') && e.source !== 'alert');
    // Alerts read recorded series (already scoped) or select the job themselves.
    expect(
      unscoped.filter((e) => e.metrics.some((name) => !RECORDED_SERIES.includes(name))).map((e) => e.id),
    ).toEqual([]);
  });

  it('marks the queries reading planned metrics, so a live check expects no data from them yet', () => {
    const planned = new Set(METRIC_CATALOGUE.filter((m) => m.status === 'planned').map((m) => m.name));
    for (const expression of expressions) {
      const readsPlanned = expression.metrics.some((name) => planned.has(metricOfSeries(name)?.name ?? ''));
      expect([expression.id, expression.readsPlannedMetric]).toEqual([expression.id, readsPlanned]);
    }
    expect(expressions.filter((e) => !e.readsPlannedMetric).length).toBeGreaterThan(30);
  });
});

describe('the checks themselves', () => {
  it('catch a misspelt metric, a misspelt label and a syntax error', () => {
    const typo = 'sum by (service) (rate(stepwise_events_consumd_total{job="stepwise"}[5m]))';
    expect(selectedMetricNames(typo).map((name) => knownLabels(name))).toEqual([undefined]);
    const label = 'sum by (servce) (stepwise_outbox_backlog{job="stepwise"})';
    expect(
      usedLabelNames(label).filter((l) => !(knownLabels('stepwise_outbox_backlog') ?? []).includes(l)),
    ).toEqual(['servce']);
    expect(promqlSyntaxErrors('sum by (service (stepwise_outbox_backlog)')).not.toEqual([]);
  });

  it('resolve Grafana variables to their "All" value and refuse unknown ones', () => {
    expect(resolveGrafanaVariables('rate(x{site=~"$site"}[$__rate_interval])')).toBe(
      'rate(x{site=~".*"}[5m])',
    );
    expect(() => resolveGrafanaVariables('x{clinic=~"$clinic"}')).toThrow('$clinic');
  });

  it('see the histogram series of a catalogued histogram, and reject the bare name', () => {
    expect(knownLabels('stepwise_event_handler_duration_seconds_bucket')).toContain('le');
    expect(knownLabels('stepwise_event_handler_duration_seconds')).toBeUndefined();
  });
});
