import { RecordingTransaction, RecordingUnitOfWork } from '@stepwise/messaging';
import { randomUUID } from 'node:crypto';
import {
  ConsentPurpose,
  InformationCategory,
  RecipientKind,
  examplePayload,
  findPayloadViolations,
  isConsentEvent,
} from '@stepwise/contracts';
import { ManualClock, MetricsService } from '@stepwise/platform';
import { sampleValue } from '@stepwise/testing';
import { deliveryMetrics } from '../delivery/delivery-metrics';
import { careEvent } from '../testing/care-events';
import {
  InMemoryDisclosures,
  type StoredConsent,
  storedConsent,
  storedSubscription,
} from '../testing/in-memory-disclosures';
import { NotificationTable } from '../testing/in-memory-notifications';
import { RecordingTimers } from '../testing/recording-timers';
import { DISCLOSURE_CATEGORIES, type DisclosableEvent, DisclosureFanOut } from './disclosure-fan-out';

describe('DisclosureFanOut (fans a care event out to consented recipients)', () => {
  const siteId = randomUUID();
  const clientId = randomUUID();
  const organisation = randomUUID();
  const subscriptionId = randomUUID();
  const network = randomUUID();
  const clock = new ManualClock('2025-10-01T15:00:00Z');
  let table: NotificationTable;
  let disclosures: InMemoryDisclosures;
  let timers: RecordingTimers;
  let tx: RecordingTransaction;
  let metrics: MetricsService;
  let fanOut: DisclosureFanOut;

  beforeEach(() => {
    table = new NotificationTable();
    disclosures = new InMemoryDisclosures(table);
    timers = new RecordingTimers();
    tx = new RecordingTransaction();
    metrics = new MetricsService('notifications');
    fanOut = new DisclosureFanOut(clock, timers, disclosures, deliveryMetrics(metrics));
    disclosures.siteNetworks.set(siteId, network);
    disclosures.subscriptions.push(
      storedSubscription({
        id: subscriptionId,
        network_id: network,
        organisation_id: organisation,
        purposes: [ConsentPurpose.CareCoordination],
        eventTypes: ['SessionMissed', 'DrugScreenResulted'],
      }),
    );
  });

  const consent = (overrides: Partial<StoredConsent>): StoredConsent =>
    storedConsent(clientId, {
      recipientKind: RecipientKind.ProviderOrganization,
      recipientId: organisation,
      purposes: [ConsentPurpose.CareCoordination],
      categories: [InformationCategory.Attendance],
      ...overrides,
    });
  const queued = () =>
    table.rows().map((r) => ({
      kind: r.kind,
      to: r.recipient_id,
      status: r.status,
      reason: r.reason,
      params: r.params,
    }));

  it('queues a webhook to a subscriber whose consent covers the information, naming the consent', async () => {
    const granted = consent({});
    disclosures.consents.push(granted);
    const event = careEvent('SessionMissed', { clientId, siteId });
    await fanOut.fanOut(event, tx);

    expect(queued()).toEqual([
      {
        kind: 'webhook',
        to: subscriptionId,
        status: 'queued',
        reason: null,
        params: expect.objectContaining({
          eventType: 'SessionMissed',
          category: 'attendance',
          consentId: granted.consentId,
          purpose: 'care-coordination',
          consentRecipientId: organisation,
          event: JSON.stringify(event.data),
        }) as unknown,
      },
    ]);
    expect(timers.set).toHaveLength(1);
    expect(tx.published).toEqual([]);
  });

  it('suppresses as no-consent, and reports once, a webhook the consent does not cover (other category, revoked, expired)', async () => {
    disclosures.consents.push(
      consent({ categories: [InformationCategory.Schedule] }),
      consent({ revokedAt: new Date('2025-09-01T00:00:00Z') }),
      consent({ expiresAt: new Date('2025-09-30T00:00:00Z') }),
    );
    const event = careEvent('SessionMissed', { clientId, siteId });
    await fanOut.fanOut(event, tx);
    await fanOut.fanOut(event, tx); // redelivered

    expect(queued().map((q) => [q.kind, q.status, q.reason])).toEqual([
      ['webhook', 'suppressed', 'no-consent'],
    ]);
    expect(timers.set).toEqual([]);
    expect(tx.published).toEqual([
      {
        type: 'NotificationSuppressed',
        payload: {
          notificationId: table.rows()[0]?.id,
          recipientId: subscriptionId,
          recipientKind: 'system',
          triggerEventId: event.id,
          reason: 'no-consent',
          suppressedAt: '2025-10-01T15:00:00.000Z',
        },
      },
    ]);
  });

  it('keeps what a disabled subscriber misses (withheld as subscription-disabled, no timer, no event), once; nothing without consent', async () => {
    Object.assign(disclosures.subscriptions[0] ?? {}, { status: 'disabled' });
    const granted = consent({});
    disclosures.consents.push(granted);
    const event = careEvent('SessionMissed', { clientId, siteId });
    await fanOut.fanOut(event, tx);
    await fanOut.fanOut(event, tx); // redelivered
    await fanOut.fanOut(careEvent('DrugScreenResulted', { clientId, siteId }), tx); // not consented

    expect(queued()).toEqual([
      {
        kind: 'webhook',
        to: subscriptionId,
        status: 'cancelled',
        reason: 'subscription-disabled',
        params: expect.objectContaining({
          consentId: granted.consentId,
          event: JSON.stringify(event.data),
        }) as unknown,
      },
    ]);
    expect(table.history(table.rows()[0]?.id ?? '')).toEqual(['queued', 'cancelled']);
    expect(timers.set).toEqual([]);
    expect(tx.published).toEqual([]);
  });

  describe('counts each suppression in stepwise_notifications_total once its transaction commits', () => {
    const suppressedNoConsent = () =>
      sampleValue(metrics.registry, 'stepwise_notifications_total', {
        kind: 'webhook',
        channel: 'webhook',
        outcome: 'suppressed',
        reason: 'no-consent',
      });
    let unitOfWork: RecordingUnitOfWork;
    beforeEach(() => {
      unitOfWork = new RecordingUnitOfWork();
    });

    it('counts a suppression once, however often its event is fanned out again', async () => {
      const event = careEvent('SessionMissed', { clientId, siteId });
      await unitOfWork.run((t) => fanOut.fanOut(event, t));
      expect(await suppressedNoConsent()).toBe(1);

      await unitOfWork.run((t) => fanOut.fanOut(event, t)); // re-run: the suppression row already exists
      expect(await suppressedNoConsent()).toBe(1);
      expect(unitOfWork.payloads('NotificationSuppressed')).toHaveLength(1);
    });

    it('counts nothing for a transaction that rolled back', async () => {
      const event = careEvent('SessionMissed', { clientId, siteId });
      await expect(
        unitOfWork.run(async (t) => {
          await fanOut.fanOut(event, t);
          throw new Error('the consumer transaction failed after the fan-out');
        }),
      ).rejects.toThrow('failed after the fan-out');

      expect(unitOfWork.published).toEqual([]);
      expect(await suppressedNoConsent()).toBe(0);
    });

    it('counts nothing for a webhook the consent covers', async () => {
      disclosures.consents.push(consent({}));
      await unitOfWork.run((t) => fanOut.fanOut(careEvent('SessionMissed', { clientId, siteId }), t));

      expect(queued().map((q) => q.status)).toEqual(['queued']);
      expect(await suppressedNoConsent()).toBe(0);
    });
  });

  it('sends nothing to subscribers of other event types', async () => {
    disclosures.consents.push(consent({ categories: [InformationCategory.LevelOfCare] }));
    await fanOut.fanOut(careEvent('LevelOfCareChanged', { clientId, siteId }), tx);

    expect(queued()).toEqual([]);
  });

  it('updates each family member with a family-involvement consent, for the facts families are told about', async () => {
    const [informed, otherTopic] = [randomUUID(), randomUUID()];
    const family = (recipientId: string, categories: InformationCategory[]) =>
      consent({
        recipientKind: RecipientKind.FamilyMember,
        recipientId,
        purposes: [ConsentPurpose.FamilyInvolvement],
        categories,
      });
    const granted = family(informed, [InformationCategory.Attendance]);
    disclosures.consents.push(granted, family(otherTopic, [InformationCategory.DrugScreens]));
    await fanOut.fanOut(careEvent('SessionMissed', { clientId, siteId }), tx);
    await fanOut.fanOut(careEvent('SessionAttended', { clientId, siteId }), tx); // not a family update

    const updates = table.rows().filter((r) => r.kind === 'family-update');
    expect(updates.map((u) => [u.recipient_id, u.recipient_kind, u.template_code])).toEqual([
      [informed, 'family', 'family-update'],
    ]);
    expect(updates[0]?.params).toMatchObject({
      event: '{}', // a family member is told that something happened, not its details
      consentId: granted.consentId,
      purpose: 'family-involvement',
      consentRecipientKind: 'family-member',
    });
  });

  describe('with several networks in one deployment', () => {
    const otherNetwork = randomUUID();
    const otherSite = randomUUID();
    const otherSubscription = randomUUID();
    beforeEach(() => {
      disclosures.siteNetworks.set(otherSite, otherNetwork);
      // The other network's admin registered a subscription naming the very same organisation.
      disclosures.subscriptions.push(
        storedSubscription({
          id: otherSubscription,
          network_id: otherNetwork,
          organisation_id: organisation,
          purposes: [ConsentPurpose.CareCoordination],
          eventTypes: ['SessionMissed'],
        }),
      );
      disclosures.consents.push(
        consent({ categories: [InformationCategory.Attendance, InformationCategory.LevelOfCare] }),
      );
    });

    it("delivers an event only to its own network's subscriptions, even under the client's consent", async () => {
      await fanOut.fanOut(careEvent('SessionMissed', { clientId, siteId }), tx);
      expect(queued().map((q) => [q.to, q.status])).toEqual([[subscriptionId, 'queued']]);

      const otherClient = randomUUID();
      disclosures.consents.push(storedConsent(otherClient, { ...consent({}), clientId: otherClient }));
      await fanOut.fanOut(careEvent('SessionMissed', { clientId: otherClient, siteId: otherSite }), tx);
      expect(queued().map((q) => [q.to, q.status])).toEqual([
        [subscriptionId, 'queued'],
        [otherSubscription, 'queued'],
      ]);
    });

    it('knows the network of every disclosable event: the contract requires each to name its site (but consent events)', () => {
      const types = Object.keys(DISCLOSURE_CATEGORIES.byEvent) as DisclosableEvent[];
      for (const type of types.filter((t) => !isConsentEvent(t))) {
        const withoutSite: Record<string, unknown> = { ...examplePayload(type) };
        delete withoutSite['siteId'];
        expect({ type, violations: findPayloadViolations(type, withoutSite).map((v) => v.path) }).toEqual({
          type,
          violations: ['siteId'],
        });
      }
    });

    it('never delivers to a subscription without a network', async () => {
      disclosures.subscriptions.push(
        storedSubscription({
          organisation_id: organisation,
          purposes: [ConsentPurpose.CareCoordination],
          eventTypes: ['SessionMissed'],
        }),
      );
      await fanOut.fanOut(careEvent('SessionMissed', { clientId, siteId }), tx);
      expect(queued().map((q) => q.to)).toEqual([subscriptionId]);
    });

    it('fails, disclosing nothing, while the network of the event is unknown (retried, then dead-lettered)', async () => {
      await expect(
        fanOut.fanOut(careEvent('SessionMissed', { clientId, siteId: randomUUID() }), tx),
      ).rejects.toThrow(/network of SessionMissed .* is not known yet/);
      expect(queued()).toEqual([]);
      // Without subscribers to the type the network does not matter.
      await fanOut.fanOut(careEvent('ClientDischarged', { clientId, siteId: randomUUID() }), tx);
      expect(queued()).toEqual([]);
    });
  });

  describe('events about a consent (granted, revoked): to the recipient it names only', () => {
    const otherNetwork = randomUUID();
    const otherSite = randomUUID();
    const named = randomUUID();
    const elsewhere = randomUUID();
    const bystander = randomUUID();
    let granted: StoredConsent;
    beforeEach(() => {
      disclosures.siteNetworks.set(otherSite, otherNetwork);
      disclosures.clientSites.set(clientId, siteId);
      const subscribing = {
        purposes: [ConsentPurpose.CareCoordination],
        eventTypes: ['ConsentGranted', 'ConsentRevoked'],
      };
      disclosures.subscriptions.push(
        storedSubscription({ ...subscribing, id: named, network_id: network, organisation_id: organisation }),
        // The same organisation registered by another network, and another organisation of this network.
        storedSubscription({
          ...subscribing,
          id: elsewhere,
          network_id: otherNetwork,
          organisation_id: organisation,
        }),
        storedSubscription({ ...subscribing, id: bystander, network_id: network }),
      );
      // A consent covering a category none of the subscribers' events is about: the consent itself is told.
      granted = consent({ categories: [InformationCategory.DischargeSummary] });
      disclosures.consents.push(granted);
    });

    it("tells the named organisation's subscription in the client's network, under that consent, at the client's site", async () => {
      const event = careEvent('ConsentGranted', {
        consentId: granted.consentId,
        clientId,
        recipient: { kind: RecipientKind.ProviderOrganization, id: organisation },
      });
      await fanOut.fanOut(event, tx);

      expect(table.rows().map((r) => [r.recipient_id, r.status, r.site_id])).toEqual([
        [named, 'queued', siteId],
      ]);
      expect(table.rows()[0]?.params).toEqual(
        expect.objectContaining({
          eventType: 'ConsentGranted',
          category: 'consent',
          consentId: granted.consentId,
          purpose: 'care-coordination',
          consentRecipientId: organisation,
        }),
      );
      expect(tx.published).toEqual([]);
    });

    it('tells it of the revocation although the consent has ended: the notice that it did', async () => {
      granted.revokedAt = new Date('2025-10-01T14:00:00Z');
      await fanOut.fanOut(careEvent('ConsentRevoked', { consentId: granted.consentId, clientId }), tx);

      expect(queued().map((q) => [q.to, q.status, q.params['consentId']])).toEqual([
        [named, 'queued', granted.consentId],
      ]);
    });

    it('suppresses as no-consent a named subscription for none of the consent purposes', async () => {
      const subscription = disclosures.subscriptions.find((s) => s.id === named);
      Object.assign(subscription ?? {}, { purposes: [ConsentPurpose.Payment] });
      await fanOut.fanOut(careEvent('ConsentRevoked', { consentId: granted.consentId, clientId }), tx);
      expect(queued().map((q) => [q.to, q.status, q.reason])).toEqual([[named, 'suppressed', 'no-consent']]);
    });

    it('tells nobody, and does not fail, about a client admitted nowhere yet or a consent not projected', async () => {
      disclosures.clientSites.delete(clientId);
      await fanOut.fanOut(careEvent('ConsentGranted', { consentId: granted.consentId, clientId }), tx);
      disclosures.clientSites.set(clientId, siteId);
      await fanOut.fanOut(careEvent('ConsentRevoked', { consentId: randomUUID(), clientId }), tx);
      expect(queued()).toEqual([]);
    });
  });
});
