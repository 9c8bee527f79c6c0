import { NotificationErrorCode, SuppressionReason } from '@stepwise/contracts';
import { DeliveryKit } from '../testing/delivery-kit';

describe('RecordDeliveryOutcome (ends a claimed attempt for good)', () => {
  let kit: DeliveryKit;

  beforeEach(() => {
    kit = new DeliveryKit();
  });

  it('reports nothing when the claim was lost meanwhile (the reminder was moved)', async () => {
    const row = await kit.claimed();
    Object.assign(kit.table.byId(row.id) ?? {}, { status: 'queued' });
    await kit.outcomes.sent(row, 'sms', 'appointment-reminder-2h@1');
    await kit.outcomes.suppressed(row, SuppressionReason.OptedOut, 'sms');

    expect(kit.unitOfWork.published).toEqual([]);
    expect(kit.observed).toEqual([]);
    expect(kit.table.history(row.id)).toEqual(['queued']);
  });

  it("records a send with its step, the caller's own writes and NotificationSent", async () => {
    const row = await kit.claimed();
    const within = jest.fn(() => Promise.resolve());
    await kit.outcomes.sent(row, 'sms', 'appointment-reminder-2h@1', within);

    expect(kit.state(row.id)).toEqual({ status: 'sent', reason: null, attempts: 1 });
    expect(kit.table.history(row.id)).toEqual(['queued', 'sent']);
    expect(within).toHaveBeenCalledTimes(1);
    expect(kit.unitOfWork.published).toEqual([
      {
        type: 'NotificationSent',
        payload: expect.objectContaining({
          notificationId: row.id,
          channel: 'sms',
          templateId: 'appointment-reminder-2h@1',
          sentAt: '2025-10-01T15:00:00.000Z',
        }) as unknown,
      },
    ]);
    expect(kit.observed).toEqual([['reminder', 'sms', 'sent', '']]);
  });

  it('withdraws a cancelled notification without an event, and fails one with its code and NotificationFailed', async () => {
    const cancelled = await kit.claimed();
    await kit.outcomes.cancelled(cancelled, 'subscription-disabled');
    const failed = await kit.claimed();
    await kit.outcomes.failed(failed, NotificationErrorCode.InvalidDestination, 'no-contact', 'email');

    expect(kit.state(cancelled.id)).toMatchObject({ status: 'cancelled', reason: 'subscription-disabled' });
    expect(kit.state(failed.id)).toMatchObject({
      status: 'failed',
      reason: 'invalid-destination:no-contact',
    });
    expect(kit.unitOfWork.published).toEqual([
      {
        type: 'NotificationFailed',
        payload: expect.objectContaining({
          notificationId: failed.id,
          channel: 'email',
          errorCode: 'invalid-destination',
          attempts: 1,
        }) as unknown,
      },
    ]);
    expect(kit.observed).toEqual([
      ['reminder', 'none', 'cancelled', 'subscription-disabled'],
      ['reminder', 'email', 'failed', 'invalid-destination'],
    ]);
  });
});
