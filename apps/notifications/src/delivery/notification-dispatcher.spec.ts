import { RecordingUnitOfWork } from '@stepwise/messaging';
import { randomUUID } from 'node:crypto';
import { NotificationErrorCode } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { DeliveryError, type MessageChannel, type OutgoingMessage } from '../channels/channel';
import { type Contact } from '../contacts/contact-directory';
import { type DisclosureRequest, type DisclosureVerdict } from '../disclosures/consent-gate';
import { type PreferencesRow } from '../preferences/preferences.repository';
import { InMemoryDeliveries } from '../testing/in-memory-deliveries';
import { InMemoryDisclosures, storedConsent, storedSubscription } from '../testing/in-memory-disclosures';
import { NotificationTable } from '../testing/in-memory-notifications';
import { RecordingTimers } from '../testing/recording-timers';
import { DeliveryOutcomes } from './delivery-outcomes';
import { type NewNotification } from './notification-store';
import { NotificationDispatcher } from './notification-dispatcher';

/** A channel that keeps what it sends, or fails with `failure` while one is set. */
class RecordingChannel implements MessageChannel {
  readonly sent: OutgoingMessage[] = [];
  failure: DeliveryError | undefined;

  send(message: OutgoingMessage): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.sent.push(message);
    return Promise.resolve();
  }
}

const SETTINGS = {
  claimLeaseMs: 60_000,
  batchSize: 20,
  delivery: { maxAttempts: 3, baseDelayMs: 1_000 },
  webhook: { maxAttempts: 3, baseDelayMs: 1_000, disableAfterFailures: 2 },
  escalationSeconds: 60,
  defaultQuietHours: '21:00-08:00',
};

describe('NotificationDispatcher (dispatches due notifications)', () => {
  const siteId = randomUUID();
  const clientId = randomUUID();
  let clock: ManualClock;
  let table: NotificationTable;
  let disclosures: InMemoryDisclosures;
  let unitOfWork: RecordingUnitOfWork;
  let email: RecordingChannel;
  let sms: RecordingChannel;
  let preferences: Map<string, PreferencesRow>;
  let contacts: Map<string, Contact>;
  let intakeVerdict: (request: DisclosureRequest) => DisclosureVerdict;
  let intakeChecks: DisclosureRequest[];
  let posted: { url: string; id: string; body: string }[];
  let webhookFailure: DeliveryError | undefined;
  let dispatcher: NotificationDispatcher;

  beforeEach(() => {
    clock = new ManualClock('2025-10-01T15:00:00Z'); // 10:00 in Chicago
    table = new NotificationTable();
    disclosures = new InMemoryDisclosures(table);
    unitOfWork = new RecordingUnitOfWork();
    [email, sms] = [new RecordingChannel(), new RecordingChannel()];
    preferences = new Map();
    contacts = new Map();
    intakeChecks = [];
    intakeVerdict = () => ({ allowed: true, consentId: 'c' });
    posted = [];
    webhookFailure = undefined;
    const deliveries = new InMemoryDeliveries(table);
    const contact = (key: string) => Promise.resolve(contacts.get(key));
    dispatcher = new NotificationDispatcher(
      {
        unitOfWork,
        clock,
        deliveries,
        outcomes: new DeliveryOutcomes(unitOfWork, clock, new RecordingTimers(), deliveries),
        escalations: { escalateOverdue: () => Promise.resolve() },
        preferences: { find: (id) => Promise.resolve(preferences.get(id)) },
        disclosures,
        channels: { email, sms },
        contacts: {
          client: (id, channel) => contact(`${id}:${channel}`),
          staff: (id, channel) => contact(`${id}:${channel}`),
          familyMember: (_client, id, channel) => contact(`${id}:${channel}`),
        },
        consents: {
          intake: (request) => {
            intakeChecks.push(request);
            return Promise.resolve(intakeVerdict(request));
          },
        },
        webhooks: {
          post: (url, _secret, id, body) => {
            if (webhookFailure !== undefined) return Promise.reject(webhookFailure);
            posted.push({ url, id, body });
            return Promise.resolve();
          },
        },
      },
      SETTINGS,
    );
  });

  const reachable = (recipientId: string, channel: 'email' | 'sms') =>
    contacts.set(`${recipientId}:${channel}`, {
      channel,
      address: `${recipientId}@${channel}`,
      timeZone: 'America/Chicago',
      preferredLanguage: 'en',
    });
  async function queue(spec: Partial<NewNotification> & Pick<NewNotification, 'kind'>): Promise<string> {
    const id = await table.queue(
      {
        dedupeKey: randomUUID(),
        triggerEventId: randomUUID(),
        recipientId: clientId,
        recipientKind: 'client',
        clientId,
        siteId,
        dueAt: clock.now(),
        ...spec,
      },
      clock.now(),
    );
    return id ?? '';
  }
  const reminder = () =>
    queue({
      kind: 'reminder',
      templateCode: 'appointment-reminder-2h',
      params: { startsAt: '2025-10-01T17:00:00Z', offset: '2h' },
    });
  const state = (id: string) => {
    const row = table.byId(id);
    return { status: row?.status, reason: row?.reason, attempts: row?.attempts };
  };
  const events = () => unitOfWork.published.map((e) => [e.type, (e.payload as { reason?: string }).reason]);

  it("sends a due reminder by the client's SMS, in their local time, and reports it sent", async () => {
    reachable(clientId, 'sms');
    const id = await reminder();
    await dispatcher.processDue();

    expect(state(id)).toEqual({ status: 'sent', reason: null, attempts: 1 });
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]?.to).toBe(`${clientId}@sms`);
    expect(sms.sent[0]?.text).toContain('12:00');
    expect(unitOfWork.published).toEqual([
      {
        type: 'NotificationSent',
        payload: expect.objectContaining({
          notificationId: id,
          recipientKind: 'client',
          channel: 'sms',
          sentAt: '2025-10-01T15:00:00.000Z',
        }) as unknown,
      },
    ]);
    expect(table.history(id)).toEqual(['queued', 'sent']);
  });

  it('suppresses a routine notification to a recipient who opted out, but sends an urgent alert and arms its escalation', async () => {
    const staffId = randomUUID();
    reachable(clientId, 'sms');
    reachable(staffId, 'email');
    for (const recipientId of [clientId, staffId])
      preferences.set(recipientId, {
        recipient_id: recipientId,
        recipient_kind: 'client',
        site_id: siteId,
        channels: [],
        quiet_start: null,
        quiet_end: null,
        time_zone: null,
        preferred_language: null,
        opted_out: true,
      });
    const routine = await reminder();
    const urgent = await queue({
      kind: 'alert',
      recipientId: staffId,
      recipientKind: 'staff',
      templateCode: 'clinical-alert-urgent',
      params: { alert: 'urgent-screening-flag' },
      urgent: true,
      requiresAck: true,
    });
    await dispatcher.processDue();

    expect(state(routine)).toMatchObject({ status: 'suppressed', reason: 'opted-out' });
    expect(state(urgent)).toMatchObject({ status: 'sent' });
    expect(table.byId(urgent)?.escalate_at?.toISOString()).toBe('2025-10-01T15:01:00.000Z');
    expect(events()).toEqual([
      ['NotificationSuppressed', 'opted-out'],
      ['NotificationSent', undefined],
    ]);
  });

  it('defers a routine notification to the end of quiet hours, reporting the deferral once, then sends it', async () => {
    clock.set('2025-10-01T03:00:00Z'); // 22:00 in Chicago
    reachable(clientId, 'email');
    const id = await queue({
      kind: 'family-update',
      recipientKind: 'client',
      channel: 'email',
      templateCode: 'family-update',
      params: { consentId: 'c1', category: 'attendance' },
    });
    disclosures.consents.push(
      storedConsent(clientId, {
        consentId: 'c1',
        recipientKind: 'family-member',
        recipientId: clientId,
        purposes: ['family-involvement'],
        categories: ['attendance'],
      }),
    );
    await dispatcher.processDue();
    expect(state(id)).toEqual({ status: 'queued', reason: null, attempts: 0 });
    expect(table.byId(id)?.due_at.toISOString()).toBe('2025-10-01T13:00:00.000Z');

    clock.set('2025-10-01T13:00:00Z');
    await dispatcher.processDue();

    expect(state(id)).toMatchObject({ status: 'sent' });
    expect(email.sent).toHaveLength(1);
    expect(events()).toEqual([
      ['NotificationSuppressed', 'quiet-hours-deferred'],
      ['NotificationSent', undefined],
    ]);
    expect(disclosures.disclosed).toEqual([
      expect.objectContaining({ notificationId: id, consentId: 'c1', category: 'attendance' }),
    ]);
  });

  it('suppresses as expired a reminder reached after its appointment began, and one quiet hours would hold past it', async () => {
    reachable(clientId, 'sms');
    clock.set('2025-10-01T17:30:00Z');
    const late = await reminder();
    await dispatcher.processDue();
    expect(state(late)).toMatchObject({ status: 'suppressed', reason: 'expired' });

    clock.set('2025-10-02T03:00:00Z'); // 22:00 in Chicago, the appointment at 07:00 the next morning
    const held = await queue({
      kind: 'reminder',
      templateCode: 'appointment-reminder-2h',
      params: { startsAt: '2025-10-02T12:00:00Z' },
    });
    await dispatcher.processDue();
    expect(state(held)).toMatchObject({ status: 'suppressed', reason: 'quiet-hours-deferred' });
    expect(sms.sent).toEqual([]);
  });

  it('fails a notification whose recipient has no contact, as invalid-destination', async () => {
    const id = await reminder();
    await dispatcher.processDue();

    expect(state(id)).toEqual({ status: 'failed', reason: 'invalid-destination:no-contact', attempts: 1 });
    expect(unitOfWork.published[0]).toMatchObject({
      type: 'NotificationFailed',
      payload: { errorCode: 'invalid-destination', attempts: 1, channel: 'sms' },
    });
  });

  it('retries a retryable failure with exponential backoff, then fails it after the last attempt', async () => {
    reachable(clientId, 'sms');
    sms.failure = new DeliveryError(NotificationErrorCode.ProviderUnavailable, true, 'http-503');
    const id = await reminder();
    const dueTimes: string[] = [];
    for (let pass = 0; pass < 3; pass += 1) {
      await dispatcher.processDue();
      dueTimes.push(table.byId(id)?.due_at.toISOString() ?? '');
      clock.set(table.byId(id)?.due_at ?? clock.now());
    }

    expect(dueTimes).toEqual([
      '2025-10-01T15:00:01.000Z',
      '2025-10-01T15:00:03.000Z',
      '2025-10-01T15:00:03.000Z',
    ]);
    expect(state(id)).toEqual({ status: 'failed', reason: 'provider-unavailable:http-503', attempts: 3 });
    expect(table.history(id)).toEqual(['queued', 'retrying', 'retrying', 'failed']);
    expect(events()).toEqual([['NotificationFailed', undefined]]);
  });

  it('checks a family update with intake at send time: a revocation intake knows of suppresses it', async () => {
    const member = randomUUID();
    reachable(member, 'email');
    disclosures.consents.push(
      storedConsent(clientId, {
        consentId: 'c2',
        recipientKind: 'family-member',
        recipientId: member,
        purposes: ['family-involvement'],
        categories: ['attendance'],
      }),
    );
    intakeVerdict = () => ({ allowed: false, reason: 'consent-revoked' });
    const params = {
      consentId: 'c2',
      category: 'attendance',
      purpose: 'family-involvement',
      consentRecipientId: member,
    };
    const id = await queue({
      kind: 'family-update',
      recipientId: member,
      recipientKind: 'family',
      templateCode: 'family-update',
      params,
    });
    await dispatcher.processDue();

    expect(intakeChecks).toEqual([
      {
        clientId,
        recipientKind: 'family-member',
        recipientId: member,
        category: 'attendance',
        purpose: 'family-involvement',
      },
    ]);
    expect(state(id)).toMatchObject({ status: 'suppressed', reason: 'consent-revoked' });
    expect(email.sent).toEqual([]);
    expect(disclosures.disclosed).toEqual([]);
  });

  it('posts a webhook under a consent still held, accounting for the disclosure; a disabled subscription gets nothing', async () => {
    const organisation = randomUUID();
    const subscriptionId = randomUUID();
    disclosures.subscriptions.push(
      storedSubscription({
        id: subscriptionId,
        organisation_id: organisation,
        eventTypes: ['SessionMissed'],
      }),
    );
    disclosures.consents.push(
      storedConsent(clientId, {
        consentId: 'c3',
        recipientKind: 'provider-organization',
        recipientId: organisation,
        purposes: ['care-coordination'],
        categories: ['attendance'],
      }),
    );
    const params = {
      consentId: 'c3',
      category: 'attendance',
      purpose: 'care-coordination',
      eventType: 'SessionMissed',
      consentRecipientId: organisation,
      event: '{"x":1}',
    };
    const webhook = () =>
      queue({
        kind: 'webhook',
        recipientId: subscriptionId,
        recipientKind: 'system',
        channel: 'webhook',
        subscriptionId,
        params,
      });
    const sent = await webhook();
    await dispatcher.processDue();

    expect(state(sent)).toMatchObject({ status: 'sent' });
    expect(posted.map((p) => p.id)).toEqual([sent]);
    expect(JSON.parse(posted[0]?.body ?? '{}')).toMatchObject({
      deliveryId: sent,
      clientId,
      consentId: 'c3',
      data: { x: 1 },
    });
    expect(disclosures.subscriptions[0]?.failures).toBe(0);
    expect(disclosures.disclosed).toEqual([
      expect.objectContaining({
        notificationId: sent,
        recipientKind: 'provider-organization',
        recipientId: organisation,
      }),
    ]);

    Object.assign(disclosures.subscriptions[0] ?? {}, { status: 'disabled' });
    const withdrawn = await webhook();
    await dispatcher.processDue();
    expect(state(withdrawn)).toMatchObject({ status: 'cancelled', reason: 'subscription-disabled' });
    expect(posted).toHaveLength(1);
    expect(events()).toEqual([['NotificationSent', undefined]]);
  });

  it('disables a subscription whose deliveries keep failing, withdrawing its queued ones', async () => {
    const subscriptionId = randomUUID();
    disclosures.subscriptions.push(storedSubscription({ id: subscriptionId }));
    disclosures.consents.push(
      storedConsent(clientId, {
        consentId: 'c4',
        recipientKind: 'provider-organization',
        recipientId: randomUUID(),
        purposes: [],
        categories: [],
      }),
    );
    webhookFailure = new DeliveryError(NotificationErrorCode.WebhookRejected, false, 'http-410');
    const spec = {
      kind: 'webhook' as const,
      recipientKind: 'system' as const,
      channel: 'webhook' as const,
      subscriptionId,
      params: { consentId: 'c4' },
    };
    const failing = await queue(spec);
    const later = await queue({ ...spec, dueAt: new Date('2025-10-01T16:00:00Z') });
    await dispatcher.processDue();

    expect(state(failing)).toMatchObject({ status: 'failed', reason: 'webhook-rejected:http-410' });
    expect(state(later)).toMatchObject({ status: 'cancelled', reason: 'subscription-disabled' });
    expect(disclosures.subscriptions[0]?.status).toBe('disabled');
  });
});
