/**
 * Grafana template variables in dashboard queries, and what they stand for when the query is sent straight to
 * Prometheus (a parser test, or a later test evaluating every query against a live server): a multi-value
 * variable matched with `=~` becomes "everything", the rate window becomes a fixed one.
 */
export const GRAFANA_DEFAULTS: Readonly<Record<string, string>> = {
  $__rate_interval: '5m',
  $__interval: '1m',
  $__range: '1h',
  $service: '.*',
  $site: '.*',
};

/**
 * The query as Prometheus would receive it with every variable at its "All" value, or at the value `chosen`
 * gives it (a user picking one site: `{ $site: '<site id>' }`).
 */
export function resolveGrafanaVariables(expr: string, chosen: Readonly<Record<string, string>> = {}): string {
  return expr.replace(/\$\{?(__[a-z_]+|[a-z]+)\}?/g, (match, name: string) => {
    const value = chosen[`$${name}`] ?? GRAFANA_DEFAULTS[`$${name}`];
    if (value === undefined) throw new Error(`Unknown Grafana variable ${match} in: ${expr}`);
    return value;
  });
}

/** Only the scrape job of the four services: a shared Prometheus scrapes much more. */
export const JOB = 'job="stepwise"';

/**
 * The share of API requests answered 5xx per service over `range` (`[5m]`), from the selector of all requests and
 * that of the 5xx among them. A service that answered no 5xx has no 5xx series, and a plain division would leave
 * it out altogether ("No data", no recorded ratio); `or 0 * all` gives it 0 instead.
 */
export function serverErrorRatio(all: string, errors: string, range: string): string {
  const rate = (selector: string): string => `sum by (service) (rate(${selector}${range}))`;
  return `(${rate(errors)} or 0 * ${rate(all)}) / ${rate(all)}`;
}
