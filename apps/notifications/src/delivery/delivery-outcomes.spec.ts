import { RecordingUnitOfWork } from '@stepwise/messaging';
import { randomUUID } from 'node:crypto';
import { NotificationErrorCode, SuppressionReason } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { DeliveryError } from '../channels/channel';
import { InMemoryDeliveries } from '../testing/in-memory-deliveries';
import { NotificationTable } from '../testing/in-memory-notifications';
import { RecordingTimers } from '../testing/recording-timers';
import { type DeliveryOutcome, DeliveryOutcomes } from './delivery-outcomes';
import { type NotificationRow } from './notification-store';

describe('DeliveryOutcomes (ends a claimed attempt)', () => {
  let clock: ManualClock;
  let table: NotificationTable;
  let deliveries: InMemoryDeliveries;
  let unitOfWork: RecordingUnitOfWork;
  let timers: RecordingTimers;
  let observed: [string, string, DeliveryOutcome, string][];
  let outcomes: DeliveryOutcomes;

  beforeEach(() => {
    clock = new ManualClock('2025-10-01T15:00:00Z');
    table = new NotificationTable();
    deliveries = new InMemoryDeliveries(table);
    unitOfWork = new RecordingUnitOfWork();
    timers = new RecordingTimers();
    observed = [];
    outcomes = new DeliveryOutcomes(unitOfWork, clock, timers, deliveries, {
      outcome: (kind, channel, outcome, reason) => observed.push([kind, channel, outcome, reason]),
    });
  });

  /** Queues a reminder and claims it, as a sending pass would. */
  async function claimed(): Promise<NotificationRow> {
    await table.queue(
      {
        dedupeKey: randomUUID(),
        kind: 'reminder',
        triggerEventId: randomUUID(),
        recipientId: randomUUID(),
        recipientKind: 'client',
        dueAt: clock.now(),
      },
      clock.now(),
    );
    const [row] = await deliveries.claimDue(undefined, clock.now(), 60_000, 1);
    if (row === undefined) throw new Error('nothing claimed');
    return row;
  }

  it('reports nothing when the claim was lost meanwhile (the reminder was moved)', async () => {
    const row = await claimed();
    Object.assign(table.byId(row.id) ?? {}, { status: 'queued' });
    await outcomes.sent(row, 'sms', 'appointment-reminder-2h@1');
    await outcomes.suppressed(row, SuppressionReason.OptedOut, 'sms');

    expect(unitOfWork.published).toEqual([]);
    expect(observed).toEqual([]);
    expect(table.history(row.id)).toEqual(['queued']);
  });

  it('defers until quiet hours end without counting the attempt, reporting only the first deferral, and sets its timer', async () => {
    const row = await claimed();
    await outcomes.deferred(row, new Date('2025-10-01T18:00:00Z'), 'sms');
    const [again] = await deliveries.claimDue(undefined, new Date('2025-10-01T18:00:00Z'), 60_000, 1);
    if (again === undefined) throw new Error('not queued again');
    await outcomes.deferred(again, new Date('2025-10-02T13:00:00Z'), 'sms');

    expect(table.byId(row.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(unitOfWork.published.map((e) => e.type)).toEqual(['NotificationSuppressed']);
    expect(timers.set.map((t) => t.dueAt)).toEqual(['2025-10-01T18:00:00.000Z', '2025-10-02T13:00:00.000Z']);
    expect(observed.map((o) => o[2])).toEqual(['deferred', 'deferred']);
  });

  it('fails at once, whatever the attempts left, a failure retrying cannot fix', async () => {
    const row = await claimed();
    const answer = await outcomes.failedAttempt(
      row,
      new DeliveryError(NotificationErrorCode.ProviderRejected, false, 'http-400'),
      'sms',
      { maxAttempts: 5, baseDelayMs: 1_000 },
    );

    expect(answer).toBe('failed');
    expect(table.byId(row.id)).toMatchObject({ status: 'failed', reason: 'provider-rejected:http-400' });
    expect(unitOfWork.published).toEqual([
      {
        type: 'NotificationFailed',
        payload: expect.objectContaining({ errorCode: 'provider-rejected', attempts: 1 }) as unknown,
      },
    ]);
    expect(observed).toEqual([['reminder', 'sms', 'failed', 'provider-rejected']]);
  });
});
