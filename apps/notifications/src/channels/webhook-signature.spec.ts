import { signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  const body = '{"eventId":"e1"}';
  const now = 1_750_000_000;

  it('verify with the secret, the exact body and a recent timestamp', () => {
    const header = signWebhook('s3cret', now, body);
    expect(header).toMatch(/^t=1750000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s3cret', header, body, now + 10)).toBe(true);
  });

  it('fail with another secret, a changed body, an old timestamp or no header', () => {
    const header = signWebhook('s3cret', now, body);
    expect(verifyWebhookSignature('other', header, body, now)).toBe(false);
    expect(verifyWebhookSignature('s3cret', header, `${body} `, now)).toBe(false);
    expect(verifyWebhookSignature('s3cret', header, body, now + 301)).toBe(false);
    expect(verifyWebhookSignature('s3cret', undefined, body, now)).toBe(false);
    expect(verifyWebhookSignature('s3cret', 't=1,v1=zz', body, 1)).toBe(false);
  });

  it('carry one signature per secret during a rotation: a receiver with either secret verifies, another does not', () => {
    const header = signWebhook(['new-secret', 'old-secret'], now, body);
    expect(header).toMatch(/^t=1750000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('new-secret', header, body, now)).toBe(true);
    expect(verifyWebhookSignature('old-secret', header, body, now)).toBe(true);
    expect(verifyWebhookSignature('third-secret', header, body, now)).toBe(false);
    expect(header.startsWith(signWebhook('new-secret', now, body))).toBe(true);
  });
});
