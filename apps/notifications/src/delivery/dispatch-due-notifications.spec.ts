import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { NotificationErrorCode } from '@stepwise/contracts';
import { DeliveryError } from '../channels/channel';
import { DeliveryKit } from '../testing/delivery-kit';

describe('DispatchDueNotifications (sends what is due)', () => {
  let kit: DeliveryKit;
  let clientId: string;

  beforeEach(() => {
    kit = new DeliveryKit();
    clientId = kit.clientId;
  });
  afterEach(() => jest.restoreAllMocks());

  it('retries a retryable failure with exponential backoff, then fails it after the last attempt', async () => {
    kit.reachable(clientId, 'sms');
    kit.sms.failure = new DeliveryError(NotificationErrorCode.ProviderUnavailable, true, 'http-503');
    const id = await kit.reminder();
    const dueTimes: string[] = [];
    for (let pass = 0; pass < 3; pass += 1) {
      await kit.dispatch.run();
      dueTimes.push(kit.table.byId(id)?.due_at.toISOString() ?? '');
      kit.clock.set(kit.table.byId(id)?.due_at ?? kit.clock.now());
    }

    expect(dueTimes).toEqual([
      '2025-10-01T15:00:01.000Z',
      '2025-10-01T15:00:03.000Z',
      '2025-10-01T15:00:03.000Z',
    ]);
    expect(kit.state(id)).toEqual({ status: 'failed', reason: 'provider-unavailable:http-503', attempts: 3 });
    expect(kit.table.history(id)).toEqual(['queued', 'retrying', 'retrying', 'failed']);
    expect(kit.events()).toEqual([['NotificationFailed', undefined]]);
  });

  it('sends messages and posts webhook deliveries, in the order they fell due', async () => {
    const subscriptionId = randomUUID();
    kit.reachable(clientId, 'sms');
    const reminder = await kit.reminder();
    // No such subscription: the delivery is withdrawn, which tells it went the webhook way.
    const webhook = await kit.queue({
      kind: 'webhook',
      recipientKind: 'system',
      channel: 'webhook',
      subscriptionId,
      dueAt: new Date('2025-10-01T14:00:00Z'),
    });
    await kit.dispatch.run();

    expect(kit.state(reminder)).toMatchObject({ status: 'sent' });
    expect(kit.state(webhook)).toMatchObject({ status: 'cancelled', reason: 'subscription-disabled' });
    expect(kit.observed.map(([kind, , outcome]) => [kind, outcome])).toEqual([
      ['webhook', 'cancelled'],
      ['reminder', 'sent'],
    ]);
  });

  it('escalates overdue alerts first, so the same pass sends the escalations', async () => {
    const supervisor = randomUUID();
    kit.reachable(supervisor, 'sms');
    let escalation = '';
    kit.escalate = async () => {
      escalation = await kit.queue({
        kind: 'escalation',
        recipientId: supervisor,
        recipientKind: 'staff',
        channel: 'sms',
        templateCode: 'clinical-alert-escalation',
        params: { reference: randomUUID() },
        urgent: true,
      });
    };
    await kit.dispatch.run();

    expect(kit.state(escalation)).toMatchObject({ status: 'sent' });
    expect(kit.sms.sent.map((m) => m.to)).toEqual([`${supervisor}@sms`]);
  });

  it('counts a delivery that fails unexpectedly as a failed attempt, and goes on with the others', async () => {
    const broken = randomUUID();
    kit.reachable(clientId, 'sms');
    kit.lookupFaults.set(broken, new TypeError('a fault'));
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const failing = await kit.queue({
      kind: 'reminder',
      recipientId: broken,
      templateCode: 'appointment-reminder-2h',
      params: { startsAt: '2025-10-01T17:00:00Z' },
      dueAt: new Date('2025-10-01T14:00:00Z'),
    });
    const fine = await kit.reminder();
    await kit.dispatch.run();

    expect(kit.state(failing)).toEqual({ status: 'queued', reason: 'unexpected-error', attempts: 1 });
    expect(kit.table.log.filter((s) => s.id === failing).at(-1)).toMatchObject({
      status: 'retrying',
      reason: 'provider-unavailable:unexpected-error',
      channel: 'sms',
    });
    expect(kit.state(fine)).toMatchObject({ status: 'sent' });
    // By the error's name only: its message might hold anything.
    expect(logged.mock.calls).toEqual([[`Notification ${failing} failed unexpectedly: TypeError`]]);
  });

  it('runs one pass at a time: calls during a pass ask for one more pass, not passes of their own', async () => {
    let passes = 0;
    kit.escalate = () => {
      passes += 1;
      return Promise.resolve();
    };
    await Promise.all([kit.dispatch.run(), kit.dispatch.run(), kit.dispatch.run()]);
    expect(passes).toBe(2);

    await kit.dispatch.run();
    expect(passes).toBe(3);
  });
});
