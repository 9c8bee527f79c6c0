/** The few calls of Prometheus's HTTP API (v1) the expression check needs, with its errors as exceptions. */
export interface RuleState {
  readonly name: string;
  readonly type: 'recording' | 'alerting';
  readonly health: string;
  readonly lastError?: string;
  readonly lastEvaluation: string;
  readonly state?: string;
}

export interface AlertState {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing' | 'inactive';
}

export interface TargetState {
  readonly health: string;
  readonly labels: Record<string, string>;
  /** RFC 3339 time of the last scrape. */
  readonly lastScrape: string;
}

interface ApiAnswer<T> {
  readonly status: 'success' | 'error';
  readonly errorType?: string;
  readonly error?: string;
  readonly data?: T;
}

export class PromQLError extends Error {}

export class PrometheusApi {
  constructor(readonly url: string) {}

  /** `/api/v1/query` at `time` (seconds; now when absent): the series returned. */
  async query(expr: string, time?: number): Promise<{ metric: Record<string, string> }[]> {
    const form = new URLSearchParams({ query: expr, ...(time === undefined ? {} : { time: String(time) }) });
    const data = await this.post<{ result: { metric: Record<string, string> }[] }>('/api/v1/query', form);
    return data.result;
  }

  /** `/api/v1/query_range`: the series that had at least one sample between `start` and `end`. */
  async queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<number> {
    const form = new URLSearchParams({
      query: expr,
      start: String(start),
      end: String(end),
      step: `${stepSeconds}s`,
    });
    const data = await this.post<{ result: unknown[] }>('/api/v1/query_range', form);
    return data.result.length;
  }

  async rules(): Promise<RuleState[]> {
    const data = await this.get<{ groups: { rules: RuleState[] }[] }>('/api/v1/rules');
    return data.groups.flatMap((group) => group.rules);
  }

  async alerts(): Promise<AlertState[]> {
    return (await this.get<{ alerts: AlertState[] }>('/api/v1/alerts')).alerts;
  }

  async targets(): Promise<TargetState[]> {
    return (await this.get<{ activeTargets: TargetState[] }>('/api/v1/targets')).activeTargets;
  }

  private async get<T>(path: string): Promise<T> {
    return this.answer<T>(await fetch(`${this.url}${path}`));
  }

  private async post<T>(path: string, form: URLSearchParams): Promise<T> {
    return this.answer<T>(await fetch(`${this.url}${path}`, { method: 'POST', body: form }));
  }

  private async answer<T>(response: Response): Promise<T> {
    const body = (await response.json()) as ApiAnswer<T>;
    if (body.status !== 'success' || body.data === undefined) {
      throw new PromQLError(`${body.errorType ?? response.status}: ${body.error ?? 'no data'}`);
    }
    return body.data;
  }
}
