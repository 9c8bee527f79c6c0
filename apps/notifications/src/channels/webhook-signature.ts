import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header every webhook delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=<hex>]`. */
export const SIGNATURE_HEADER = 'stepwise-signature';

const hmac = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/**
 * HMAC-SHA256 over `<timestamp>.<raw body>` with the subscription's secret: binds body and time together. During
 * a secret rotation's overlap window it is signed with each secret (current first), one `v1=` per secret, so a
 * receiver still holding the previous secret verifies as well as one that switched already.
 */
export function signWebhook(secrets: string | readonly string[], timestamp: number, body: string): string {
  const each = typeof secrets === 'string' ? [secrets] : secrets;
  return [`t=${timestamp}`, ...each.map((secret) => `v1=${hmac(secret, timestamp, body)}`)].join(',');
}

/**
 * What a receiver does: recompute the signature of the raw body with its secret, compare in constant time with
 * each `v1` given (one per secret during a rotation) and refuse old timestamps (replays). Exported so the docs
 * and tests show one correct implementation.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (header === undefined) return false;
  const parts = header.split(',').map((part) => part.split('=', 2) as [string, string | undefined]);
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const given = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (!Number.isInteger(timestamp) || given.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  return given.some(
    (signature) =>
      /^[0-9a-f]{64}$/.test(signature) && timingSafeEqual(expected, Buffer.from(signature, 'hex')),
  );
}
