import { randomUUID } from 'node:crypto';
import { NotificationErrorCode } from '@stepwise/contracts';
import { DeliveryError } from '../channels/channel';
import { contentHash } from '../disclosures/disclosure-content';
import { CONSENT_TERMS, DeliveryKit } from '../testing/delivery-kit';
import { storedConsent, storedSubscription } from '../testing/in-memory-disclosures';

describe('PostWebhook (posts one webhook delivery)', () => {
  let kit: DeliveryKit;
  let clientId: string;

  beforeEach(() => {
    kit = new DeliveryKit();
    clientId = kit.clientId;
  });

  /** Claims what is due and posts each, as a sending pass does with webhook deliveries. */
  async function postDue(): Promise<void> {
    for (const row of await kit.claimDue()) await kit.postWebhook.post(row);
  }

  it('posts a webhook under a consent still held, accounting for the disclosure; a disabled subscription gets nothing', async () => {
    const organisation = randomUUID();
    const subscriptionId = randomUUID();
    kit.disclosures.subscriptions.push(
      storedSubscription({
        id: subscriptionId,
        organisation_id: organisation,
        eventTypes: ['SessionMissed'],
      }),
    );
    kit.disclosures.consents.push(
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
      occurredAt: '2025-10-01T14:00:00.000Z',
      consentRecipientId: organisation,
      event: '{"x":1}',
    };
    const webhook = () =>
      kit.queue({
        kind: 'webhook',
        recipientId: subscriptionId,
        recipientKind: 'system',
        channel: 'webhook',
        subscriptionId,
        params,
      });
    const sent = await webhook();
    await postDue();

    expect(kit.state(sent)).toMatchObject({ status: 'sent' });
    expect(kit.posted.map((p) => p.id)).toEqual([sent]);
    // A CloudEvent: the event's attributes as on Kafka, its payload, and the §2.32 notice, the consent's scope
    // and its redisclosure statement as data a receiver acts on.
    expect(JSON.parse(kit.posted[0]?.body ?? '{}')).toEqual({
      specversion: '1.0',
      id: kit.table.byId(sent)?.trigger_event_id,
      type: 'care.sessions.SessionMissed.v1',
      source: '/stepwise/sessions',
      subject: clientId,
      time: '2025-10-01T14:00:00.000Z',
      datacontenttype: 'application/json',
      confidentiality: 'part2',
      siteid: kit.siteId,
      data: {
        payload: { x: 1 },
        disclosure: {
          purpose: 'care-coordination',
          informationCategory: 'attendance',
          consent: {
            id: 'c3',
            informationCategories: CONSENT_TERMS.informationCategories,
            purposes: CONSENT_TERMS.purposes,
            expiresAt: CONSENT_TERMS.expiresAt,
            expiresOnEvent: 'discharge',
          },
          notice: {
            version: 'part2-notice@2024',
            text: expect.stringMatching(
              /^This record which has been disclosed to you is protected by Federal/,
            ) as unknown,
            url: 'https://program.example.test/part2-notice',
          },
          redisclosure: CONSENT_TERMS.redisclosure,
          withheldFields: [],
        },
      },
    });
    expect(kit.disclosures.subscriptions[0]?.failures).toBe(0);
    // The delivery log and the accounting both hold the hash of exactly the body posted.
    const sha256 = contentHash(kit.posted[0]?.body ?? '');
    expect(kit.table.log.filter((step) => step.id === sent && step.status === 'sent')).toEqual([
      expect.objectContaining({ contentSha256: sha256, noticeVersion: 'part2-notice@2024' }),
    ]);
    expect(kit.disclosures.disclosed).toEqual([
      expect.objectContaining({
        notificationId: sent,
        recipientKind: 'provider-organization',
        recipientId: organisation,
        consentId: 'c3',
        channel: 'webhook',
        contentSha256: sha256,
        noticeVersion: 'part2-notice@2024',
        redisclosureVersion: 'redisclosure@2024',
      }),
    ]);

    Object.assign(kit.disclosures.subscriptions[0] ?? {}, { status: 'disabled' });
    const withdrawn = await webhook();
    await postDue();
    expect(kit.state(withdrawn)).toMatchObject({ status: 'cancelled', reason: 'subscription-disabled' });
    expect(kit.posted).toHaveLength(1);
    expect(kit.events()).toEqual([['NotificationSent', undefined]]);
  });

  it('does not post a disclosure that could not carry the notice and scope: refused and logged', async () => {
    const subscriptionId = randomUUID();
    const organisation = randomUUID();
    kit.disclosures.subscriptions.push(
      storedSubscription({ id: subscriptionId, organisation_id: organisation }),
    );
    kit.disclosures.consents.push(
      storedConsent(clientId, {
        consentId: 'c5',
        recipientKind: 'provider-organization',
        recipientId: organisation,
        purposes: ['care-coordination'],
        categories: ['attendance'],
      }),
    );
    kit.intakeVerdict = () => ({ allowed: true, consentId: 'c5' });
    const id = await kit.queue({
      kind: 'webhook',
      recipientId: subscriptionId,
      recipientKind: 'system',
      channel: 'webhook',
      subscriptionId,
      params: {
        consentId: 'c5',
        category: 'attendance',
        purpose: 'care-coordination',
        consentRecipientId: organisation,
      },
    });
    await postDue();

    expect(kit.state(id)).toMatchObject({ status: 'suppressed', reason: 'notice-unavailable' });
    expect(kit.table.history(id)).toEqual(['queued', 'suppressed']);
    expect(kit.posted).toEqual([]);
    expect(kit.disclosures.disclosed).toEqual([]);
  });

  it('disables a subscription whose deliveries keep failing, withdrawing its queued ones', async () => {
    const subscriptionId = randomUUID();
    kit.disclosures.subscriptions.push(storedSubscription({ id: subscriptionId }));
    kit.disclosures.consents.push(
      storedConsent(clientId, {
        consentId: 'c4',
        recipientKind: 'provider-organization',
        recipientId: randomUUID(),
        purposes: [],
        categories: [],
      }),
    );
    kit.webhookFailure = new DeliveryError(NotificationErrorCode.WebhookRejected, false, 'http-410');
    const spec = {
      kind: 'webhook' as const,
      recipientKind: 'system' as const,
      channel: 'webhook' as const,
      subscriptionId,
      params: { consentId: 'c4', eventType: 'SessionMissed', category: 'attendance', event: '{}' },
    };
    const failing = await kit.queue(spec);
    const later = await kit.queue({ ...spec, dueAt: new Date('2025-10-01T16:00:00Z') });
    await postDue();

    expect(kit.state(failing)).toMatchObject({ status: 'failed', reason: 'webhook-rejected:http-410' });
    expect(kit.state(later)).toMatchObject({ status: 'cancelled', reason: 'subscription-disabled' });
    expect(kit.disclosures.subscriptions[0]?.status).toBe('disabled');
  });

  it('posts nothing under a consent revoked since it was queued, reporting it suppressed', async () => {
    const subscriptionId = randomUUID();
    kit.disclosures.subscriptions.push(storedSubscription({ id: subscriptionId }));
    kit.disclosures.consents.push(
      storedConsent(clientId, {
        consentId: 'c5',
        recipientKind: 'provider-organization',
        recipientId: randomUUID(),
        revokedAt: new Date('2025-09-30T00:00:00Z'),
      }),
    );
    const id = await kit.queue({
      kind: 'webhook',
      recipientKind: 'system',
      channel: 'webhook',
      subscriptionId,
      params: { consentId: 'c5' },
    });
    await postDue();

    expect(kit.state(id)).toMatchObject({ status: 'suppressed', reason: 'consent-revoked' });
    expect(kit.posted).toEqual([]);
    expect(kit.intakeChecks).toEqual([]);
    expect(kit.events()).toEqual([['NotificationSuppressed', 'consent-revoked']]);
  });
});
