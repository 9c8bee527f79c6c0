import { randomUUID } from 'node:crypto';

/** A caller-supplied request id is kept only when it is a plain token: it lands in logs and audit rows. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

type Headers = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The correlation id of a request: the caller's `X-Request-Id` when well-formed, else the trace id of a
 * valid W3C `traceparent`, else a new UUID. One id then ties together the request's log lines, its audit
 * entries and the problem document the caller receives.
 */
export function correlationId(headers: Headers): string {
  const given = single(headers['x-request-id'])?.trim();
  if (given !== undefined && REQUEST_ID.test(given)) return given;
  const trace = TRACEPARENT.exec(single(headers['traceparent'])?.trim().toLowerCase() ?? '')?.[1];
  if (trace !== undefined && !/^0+$/.test(trace)) return trace;
  return randomUUID();
}
