import { DeliveryKit } from '../testing/delivery-kit';

describe('DeferNotification (holds a notification through quiet hours)', () => {
  it('defers until quiet hours end without counting the attempt, reporting only the first deferral, and sets its timer', async () => {
    const kit = new DeliveryKit();
    const row = await kit.claimed();
    await kit.deferral.defer(row, new Date('2025-10-01T18:00:00Z'), 'sms');
    const [again] = await kit.deliveries.claimDue(undefined, new Date('2025-10-01T18:00:00Z'), 60_000, 1);
    if (again === undefined) throw new Error('not queued again');
    await kit.deferral.defer(again, new Date('2025-10-02T13:00:00Z'), 'sms');

    expect(kit.table.byId(row.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(kit.unitOfWork.published.map((e) => e.type)).toEqual(['NotificationSuppressed']);
    expect(kit.timers.set.map((t) => t.dueAt)).toEqual([
      '2025-10-01T18:00:00.000Z',
      '2025-10-02T13:00:00.000Z',
    ]);
    expect(kit.observed.map((o) => o[2])).toEqual(['deferred', 'deferred']);
  });
});
