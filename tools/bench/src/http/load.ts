import { Pool } from 'undici';
import { percentile } from '../stats';

export interface LoadRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly failed: number;
  /** Status (or error name) -> count, for everything not 2xx. */
  readonly failures: Record<string, number>;
  /** Which of the requests were answered 2xx (by index). */
  readonly accepted: readonly number[];
}

/**
 * The load generator both paths get: `connections` keep-alive connections, one request in flight on each
 * (no pipelining, as browsers and proxies send), each connection sending its next request as soon as the
 * previous one is answered; latency from send to the whole body read.
 */
export async function drive(
  origin: string,
  requests: readonly LoadRequest[],
  connections: number,
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const accepted: number[] = [];
  let next = 0;
  const start = performance.now();
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < requests.length) {
          const index = next++;
          const request = requests[index] as LoadRequest;
          const sent = performance.now();
          try {
            const response = await pool.request({
              method: 'PUT',
              path: request.path,
              headers: request.headers,
              body: request.body,
            });
            await response.body.text();
            latencies.push(performance.now() - sent);
            if (response.statusCode >= 200 && response.statusCode < 300) accepted.push(index);
            else failures[String(response.statusCode)] = (failures[String(response.statusCode)] ?? 0) + 1;
          } catch (error) {
            const name = error instanceof Error ? error.name : 'error';
            failures[name] = (failures[name] ?? 0) + 1;
          }
        }
      }),
    );
  } finally {
    await pool.close();
  }
  const elapsed = (performance.now() - start) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const failed = Object.values(failures).reduce((sum, n) => sum + n, 0);
  return {
    requestsPerSecond: requests.length / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ok: accepted.length,
    failed,
    failures,
    accepted,
  };
}
