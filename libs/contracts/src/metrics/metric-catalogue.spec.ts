import { METRIC_CATALOGUE, metricOfSeries, seriesNames } from './metric-catalogue';

describe('metric catalogue', () => {
  it('declares each metric once', () => {
    const names = METRIC_CATALOGUE.map((metric) => metric.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it("follows Prometheus's naming: counters end in _total, others never do; names and labels are snake case", () => {
    const misnamed = METRIC_CATALOGUE.filter(
      (metric) =>
        (metric.type === 'counter') !== metric.name.endsWith('_total') ||
        !/^[a-z][a-z0-9_]*$/.test(metric.name) ||
        Object.keys(metric.labels).some((label) => !/^[a-z][a-z0-9_]*$/.test(label)),
    );
    expect(misnamed.map((metric) => metric.name)).toEqual([]);
  });

  it('labels no metric with anything that identifies a client or a person', () => {
    const personal =
      /client|patient|person|recipient|user|name|email|phone|birth|address|contact|note|subject|episode/;
    const offending = METRIC_CATALOGUE.flatMap((metric) =>
      Object.keys(metric.labels)
        .filter((label) => personal.test(label))
        .map((label) => `${metric.name}{${label}}`),
    );
    expect(offending).toEqual([]);
  });

  it('never lists the labels every series carries anyway (service, job, instance)', () => {
    const reserved = METRIC_CATALOGUE.filter((metric) =>
      ['service', 'job', 'instance'].some((label) => label in metric.labels),
    );
    expect(reserved).toEqual([]);
  });

  it("resolves a histogram's series to the histogram, and nothing else", () => {
    const histogram = metricOfSeries('http_server_request_duration_seconds_bucket');
    expect(histogram?.name).toBe('http_server_request_duration_seconds');
    expect(histogram && seriesNames(histogram)).toEqual([
      'http_server_request_duration_seconds_bucket',
      'http_server_request_duration_seconds_sum',
      'http_server_request_duration_seconds_count',
    ]);
    expect(metricOfSeries('http_server_request_duration_seconds')).toBeUndefined();
    expect(metricOfSeries('stepwise_outbox_backlog')?.type).toBe('gauge');
    expect(metricOfSeries('stepwise_outbox_backlogg')).toBeUndefined();
  });
});
