import { NotificationErrorCode } from '@stepwise/contracts';
import { DeliveryError } from '../channels/channel';
import { DeliveryKit } from '../testing/delivery-kit';

describe('RetryDelivery (after a failed attempt)', () => {
  let kit: DeliveryKit;

  beforeEach(() => {
    kit = new DeliveryKit();
  });

  it('fails at once, whatever the attempts left, a failure retrying cannot fix', async () => {
    const row = await kit.claimed();
    const answer = await kit.retries.afterFailure(
      row,
      new DeliveryError(NotificationErrorCode.ProviderRejected, false, 'http-400'),
      'sms',
      { maxAttempts: 5, baseDelayMs: 1_000 },
    );

    expect(answer).toBe('failed');
    expect(kit.table.byId(row.id)).toMatchObject({ status: 'failed', reason: 'provider-rejected:http-400' });
    expect(kit.unitOfWork.published).toEqual([
      {
        type: 'NotificationFailed',
        payload: expect.objectContaining({ errorCode: 'provider-rejected', attempts: 1 }) as unknown,
      },
    ]);
    expect(kit.observed).toEqual([['reminder', 'sms', 'failed', 'provider-rejected']]);
  });

  it('queues a failure that may pass again after the backoff, with its timer, and reports no event', async () => {
    const row = await kit.claimed();
    const answer = await kit.retries.afterFailure(
      row,
      new DeliveryError(NotificationErrorCode.RateLimited, true, 'http-429'),
      'email',
      { maxAttempts: 3, baseDelayMs: 2_000 },
    );

    expect(answer).toBe('retrying');
    expect(kit.state(row.id)).toEqual({ status: 'queued', reason: 'http-429', attempts: 1 });
    expect(kit.timers.set).toEqual([{ id: row.id, dueAt: '2025-10-01T15:00:02.000Z' }]);
    expect(kit.table.log.at(-1)).toMatchObject({ status: 'retrying', reason: 'rate-limited:http-429' });
    expect(kit.unitOfWork.published).toEqual([]);
    expect(kit.observed).toEqual([['reminder', 'email', 'retrying', 'rate-limited']]);
  });

  it("fails the last attempt for good, running the caller's final-failure work in its transaction", async () => {
    const row = await kit.claimed();
    let finalWork = 0;
    const answer = await kit.retries.afterFailure(
      row,
      new DeliveryError(NotificationErrorCode.ProviderUnavailable, true, 'http-503'),
      'webhook',
      { maxAttempts: 1, baseDelayMs: 1_000 },
      () => {
        finalWork += 1;
        return Promise.resolve();
      },
    );

    expect(answer).toBe('failed');
    expect(finalWork).toBe(1);
    expect(kit.state(row.id)).toMatchObject({ status: 'failed', reason: 'provider-unavailable:http-503' });
    expect(kit.timers.set).toEqual([]);
  });
});
