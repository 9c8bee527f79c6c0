import { randomUUID } from 'node:crypto';
import { NotificationErrorCode } from '@stepwise/contracts';
import { DeliveryError } from '../channels/channel';
import { DeliveryKit } from '../testing/delivery-kit';
import { storedConsent, storedSubscription } from '../testing/in-memory-disclosures';
import { isHeld } from './webhook-order';

describe('webhook delivery order (one client, one subscriber)', () => {
  describe(isHeld.name, () => {
    const row = (subscription: string | null, client: string | null, status: string) => ({
      subscription_id: subscription,
      client_id: client,
      status,
    });

    it('holds a delivery behind a pending earlier one of the same client and subscription only', () => {
      const rows = [
        row('s1', 'a', 'queued'), // a retrying head
        row('s1', 'b', 'sent'),
        row('s1', 'a', 'queued'),
        row('s1', 'b', 'queued'),
        row('s2', 'a', 'queued'),
        row('s1', 'a', 'queued'),
      ];
      expect(rows.map((_, i) => isHeld(rows, i))).toEqual([false, false, true, false, false, true]);
    });

    it('releases the next one once the earlier ended, whatever the end; holds behind one being sent', () => {
      for (const end of ['sent', 'failed', 'suppressed', 'cancelled'])
        expect(isHeld([row('s1', 'a', end), row('s1', 'a', 'queued')], 1)).toBe(false);
      expect(isHeld([row('s1', 'a', 'sending'), row('s1', 'a', 'queued')], 1)).toBe(true);
    });

    it('never holds a message that is not a webhook delivery', () => {
      expect(isHeld([row(null, 'a', 'queued'), row(null, 'a', 'queued')], 1)).toBe(false);
    });
  });

  describe('sending passes', () => {
    let kit: DeliveryKit;
    const organisation = randomUUID();
    const subscriptionId = randomUUID();
    const failing = randomUUID();
    const healthy = randomUUID();
    const down = new DeliveryError(NotificationErrorCode.WebhookRejected, true, 'http-503');

    beforeEach(() => {
      kit = new DeliveryKit();
      kit.disclosures.subscriptions.push(
        storedSubscription({ id: subscriptionId, organisation_id: organisation, failures: 0 }),
      );
      for (const clientId of [failing, healthy])
        kit.disclosures.consents.push(
          storedConsent(clientId, {
            consentId: `consent-${clientId}`,
            recipientKind: 'provider-organization',
            recipientId: organisation,
            purposes: ['care-coordination'],
            categories: ['attendance'],
          }),
        );
    });

    /** Queues one client's event for the subscriber, as the fan-out does; its delivery id. */
    const event = (clientId: string, n: number, subscription = subscriptionId): Promise<string> =>
      kit.queue({
        kind: 'webhook',
        recipientId: subscription,
        recipientKind: 'system',
        clientId,
        channel: 'webhook',
        subscriptionId: subscription,
        params: {
          consentId: `consent-${clientId}`,
          category: 'attendance',
          purpose: 'care-coordination',
          eventType: 'SessionMissed',
          consentRecipientId: organisation,
          event: JSON.stringify({ n }),
        },
      });

    /** The client and event number of a delivery the receiver accepted (by its delivery id, whatever the body). */
    const delivered = (id: string): { client: string; n: number } => {
      const row = kit.table.byId(id);
      const { n } = JSON.parse(row?.params['event'] ?? '{}') as { n: number };
      return { client: row?.client_id === failing ? 'failing' : 'healthy', n };
    };
    /** What the receiver accepted, as `<client>#<n>`. */
    const received = (): string[] => kit.posted.map((p) => `${delivered(p.id).client}#${delivered(p.id).n}`);

    it("holds a failing client's later events with backoff while the other client's arrive; all in order after recovery", async () => {
      kit.webhookRefusal = (_url, clientId) => (clientId === failing ? down : undefined);
      const first = await event(failing, 1);
      await event(healthy, 1);
      const second = await event(failing, 2);
      await event(healthy, 2);
      await event(failing, 3);

      await kit.dispatch.run();
      expect(received()).toEqual(['healthy#1', 'healthy#2']);
      expect(kit.state(first)).toMatchObject({ status: 'queued', attempts: 1 });
      expect(kit.state(second)).toMatchObject({ status: 'queued', attempts: 0 });

      // Its backoff elapsed, still failing: only the head is tried again, the others wait behind it.
      kit.clock.set(kit.table.byId(first)?.due_at ?? kit.clock.now());
      await kit.dispatch.run();
      expect(kit.state(first)).toMatchObject({ status: 'queued', attempts: 2 });
      expect(kit.state(second)).toMatchObject({ status: 'queued', attempts: 0 });
      expect(received()).toEqual(['healthy#1', 'healthy#2']);

      kit.webhookRefusal = () => undefined;
      await event(healthy, 3);
      kit.clock.set(kit.table.byId(first)?.due_at ?? kit.clock.now());
      await kit.dispatch.run();
      expect(received()).toEqual([
        'healthy#1',
        'healthy#2',
        'healthy#3',
        'failing#1',
        'failing#2',
        'failing#3',
      ]);
    });

    it('lets the next event go once the held-back head failed for good (the receiver refused it)', async () => {
      kit.webhookRefusal = () => new DeliveryError(NotificationErrorCode.WebhookRejected, false, 'http-400');
      const refused = await event(failing, 1);
      const next = await event(failing, 2);
      await kit.dispatch.run();
      // The head failed for good, which released the next one: tried in the same pass, refused too.
      expect([kit.state(refused).status, kit.state(next).status]).toEqual(['failed', 'failed']);
      expect(kit.table.history(next)).toEqual(['queued', 'failed']);
    });

    it("holds nothing of another subscriber: the same client's events go to a second subscription meanwhile", async () => {
      const other = randomUUID();
      kit.disclosures.subscriptions.push(
        storedSubscription({
          id: other,
          organisation_id: organisation,
          url: 'https://other.example.test/hook',
          failures: 0,
        }),
      );
      // The first subscription's receiver is down; the second's works.
      kit.webhookRefusal = (url) => (url === 'https://receiver.example.test/hook' ? down : undefined);
      await event(failing, 1);
      await event(failing, 2);
      await event(failing, 1, other);
      await event(failing, 2, other);
      await kit.dispatch.run();
      expect(kit.posted.map((p) => [p.url, delivered(p.id).n])).toEqual([
        ['https://other.example.test/hook', 1],
        ['https://other.example.test/hook', 2],
      ]);
    });
  });
});
