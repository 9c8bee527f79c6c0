import { createHmac, randomBytes } from 'node:crypto';
import { WebhookHeaders } from '@stepwise/contracts';

/** Standard Webhooks secrets: `whsec_` and the base64 of the key's bytes. */
const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, in the form Standard Webhooks libraries take as they are. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The key of a secret: the bytes its base64 encodes after the prefix. Node's decoder also reads the URL-safe
 * alphabet, so secrets issued before the Standard Webhooks scheme (base64url) still sign.
 */
function keyOf(secret: string): Buffer {
  const key = Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
  if (key.length === 0) throw new Error('A webhook secret has no key');
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`: the Standard Webhooks symmetric signature. */
export function webhookSignature(
  secret: string,
  deliveryId: string,
  timestamp: number,
  body: string,
): string {
  const digest = createHmac('sha256', keyOf(secret))
    .update(`${deliveryId}.${timestamp}.${body}`)
    .digest('base64');
  return `v1,${digest}`;
}

/**
 * The Standard Webhooks headers of one delivery. Each secret in force signs (during a rotation both the old and
 * the new one, space-separated): a receiver accepts the delivery when any signature matches its secret.
 */
export function signedWebhookHeaders(
  secrets: string | readonly string[],
  deliveryId: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  const all = typeof secrets === 'string' ? [secrets] : secrets;
  if (all.length === 0) throw new Error('A webhook delivery needs a secret to sign with');
  return {
    [WebhookHeaders.Id]: deliveryId,
    [WebhookHeaders.Timestamp]: String(timestamp),
    [WebhookHeaders.Signature]: all
      .map((secret) => webhookSignature(secret, deliveryId, timestamp, body))
      .join(' '),
  };
}
