import type { Request } from 'express';
import { HttpProblemMetrics, metricRoute } from './http-problems';
import { MetricsService } from './metrics.service';

const request = (baseUrl: string, path?: string): Request =>
  ({ baseUrl, route: path === undefined ? undefined : { path } }) as unknown as Request;

describe('stepwise_http_problems_total', () => {
  it('counts a problem by route template, status and code — never the concrete path', async () => {
    const metrics = new MetricsService('probe');
    const problems = new HttpProblemMetrics(metrics);

    problems.record(request('/v1', '/clients/:id'), 404, 'not-found');
    problems.record(request('/v1', '/clients/:id'), 404, 'not-found');
    problems.record(request(''), 400, 'malformed-json');

    const values = (await metrics.registry.getSingleMetric('stepwise_http_problems_total')?.get())?.values;
    expect(values).toEqual([
      { labels: { route: '/v1/clients/:id', status_code: '404', code: 'not-found' }, value: 2 },
      { labels: { route: 'unmatched', status_code: '400', code: 'malformed-json' }, value: 1 },
    ]);
  });

  it('labels the catch-all route a request matched no handler on as unmatched', () => {
    expect(metricRoute(request('', '/{*path}'))).toBe('unmatched');
    expect(metricRoute(request('/v1', '/episodes/:id/discharge'))).toBe('/v1/episodes/:id/discharge');
  });
});
