import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret, signedWebhookHeaders, webhookSignature } from './webhook-signature';

/** Signatures checked as a receiver checks them: with the Standard Webhooks library and its secret. */
describe('webhook signatures (Standard Webhooks)', () => {
  const body = '{"specversion":"1.0","id":"e1"}';
  const now = 1_790_000_000;
  const deliveryId = '0193a7c0-0000-7000-8000-000000000001';
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(now * 1000 + 20_000));
  afterEach(() => jest.restoreAllMocks());

  it('verify with the secret, the exact body and a recent timestamp', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signedWebhookHeaders(secret, deliveryId, now, body);
    expect(headers).toEqual({
      'webhook-id': deliveryId,
      'webhook-timestamp': String(now),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/) as unknown,
    });
    expect(new Webhook(secret).verify(body, headers)).toEqual({ specversion: '1.0', id: 'e1' });
  });

  it('fail with another secret, a changed body or id, an old timestamp or no signature', () => {
    const secret = newWebhookSecret();
    const headers = signedWebhookHeaders(secret, deliveryId, now, body);
    const receiver = new Webhook(secret);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(() => receiver.verify(`${body} `, headers)).toThrow(WebhookVerificationError);
    expect(() => receiver.verify(body, { ...headers, 'webhook-id': 'other' })).toThrow(
      WebhookVerificationError,
    );
    jest.spyOn(Date, 'now').mockReturnValue((now + 301) * 1000);
    expect(() => receiver.verify(body, headers)).toThrow('Message timestamp too old');
    jest.spyOn(Date, 'now').mockReturnValue(now * 1000);
    expect(() => receiver.verify(body, { ...headers, 'webhook-signature': '' })).toThrow(
      'Missing required headers',
    );
  });

  it('sign with every secret in force, so a receiver holding either one verifies (rotation overlap)', () => {
    const [old, current] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signedWebhookHeaders([old, current], deliveryId, now, body);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(old).verify(body, headers)).toBeDefined();
    expect(new Webhook(current).verify(body, headers)).toBeDefined();
  });

  it('still sign with a secret issued before the scheme (URL-safe base64), to the same key', () => {
    const key = Buffer.alloc(32, 0xfb); // encodes with '-' and '_' in base64url
    const legacy = `whsec_${key.toString('base64url')}`;
    const headers = signedWebhookHeaders(legacy, deliveryId, now, body);
    expect(new Webhook(`whsec_${key.toString('base64')}`).verify(body, headers)).toBeDefined();
  });

  it('carry one signature per secret during a rotation, current first: a third secret does not verify', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signedWebhookHeaders([current, previous], deliveryId, now, body);
    const signatures = headers['webhook-signature']?.split(' ');
    expect(signatures).toEqual([
      webhookSignature(current, deliveryId, now, body),
      webhookSignature(previous, deliveryId, now, body),
    ]);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
  });
});
