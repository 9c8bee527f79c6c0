/** A response as tests look at it: status, headers, the parsed JSON body (or the text) and the raw text. */
export interface HttpResult<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export interface HttpRequest {
  readonly method?: string;
  readonly token?: string;
  /** Serialised as JSON with `Content-Type: application/json`. */
  readonly json?: unknown;
  /** Sent as is (with `contentType`, default application/json): malformed or oversized bodies. */
  readonly raw?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/** Sends one request to a running app, the way a client does. */
export async function http<T = unknown>(url: string, request: HttpRequest = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token !== undefined) headers['Authorization'] = `Bearer ${request.token}`;
  let body: string | undefined;
  if (request.json !== undefined) body = JSON.stringify(request.json);
  if (request.raw !== undefined) body = request.raw;
  if (body !== undefined) headers['Content-Type'] = request.contentType ?? 'application/json';
  const response = await fetch(url, {
    method: request.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}
