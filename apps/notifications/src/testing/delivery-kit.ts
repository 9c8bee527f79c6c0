import { randomUUID } from 'node:crypto';
import { RecordingUnitOfWork } from '@stepwise/messaging';
import { ManualClock } from '@stepwise/platform';
import { type DeliveryError, type MessageChannel, type OutgoingMessage } from '../channels/channel';
import { type Contact } from '../contacts/contact-directory';
import { DeferNotification } from '../delivery/defer-notification';
import { type DeliveryObserver, type DeliveryOutcome } from '../delivery/delivery-observer';
import { DispatchDueNotifications } from '../delivery/dispatch-due-notifications';
import { type DispatchSettings } from '../delivery/dispatch-settings';
import { type NewNotification, type NotificationRow } from '../delivery/notification-store';
import { PostWebhook } from '../delivery/post-webhook';
import { RecordDeliveryOutcome } from '../delivery/record-delivery-outcome';
import { RetryDelivery } from '../delivery/retry-delivery';
import { SendMessage } from '../delivery/send-message';
import { type DisclosureRequest, type DisclosureVerdict } from '../disclosures/consent-gate';
import { SendTimeDisclosure } from '../disclosures/send-time-disclosure';
import { type PreferencesRow } from '../preferences/preferences.repository';
import { InMemoryDeliveries } from './in-memory-deliveries';
import { InMemoryDisclosures } from './in-memory-disclosures';
import { NotificationTable } from './in-memory-notifications';
import { RecordingTimers } from './recording-timers';

/** A channel that keeps what it sends, or fails with `failure` while one is set. */
export class RecordingChannel implements MessageChannel {
  readonly sent: OutgoingMessage[] = [];
  failure: DeliveryError | undefined;

  send(message: OutgoingMessage): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.sent.push(message);
    return Promise.resolve();
  }
}

export const DISPATCH_SETTINGS: DispatchSettings = {
  claimLeaseMs: 60_000,
  batchSize: 20,
  delivery: { maxAttempts: 3, baseDelayMs: 1_000 },
  webhook: { maxAttempts: 3, baseDelayMs: 1_000, disableAfterFailures: 2 },
  escalationSeconds: 60,
  defaultQuietHours: '21:00-08:00',
  noticeUrl: 'https://program.example.test/part2-notice',
};

/** The terms intake gives with an allowed disclosure (unless a test says otherwise). */
export const CONSENT_TERMS = {
  informationCategories: ['attendance', 'level-of-care'],
  purposes: ['family-involvement', 'care-coordination'],
  expiresAt: '2026-01-01T00:00:00.000Z',
  expiresOnEvent: 'discharge',
  redisclosure: {
    version: 'redisclosure@2024',
    text: 'The recipient may redisclose this record only as 45 CFR part 164 permits, never against the patient.',
  },
} as const;

/**
 * The sending side of the service over in-memory repositories and recording channels, peers and timers, at
 * 15:00 UTC on 1 October 2025 (10:00 in Chicago, where every contact is): each use case as the module wires
 * it, and what its collaborators were asked and told.
 */
export class DeliveryKit {
  readonly siteId = randomUUID();
  readonly clientId = randomUUID();
  readonly clock = new ManualClock('2025-10-01T15:00:00Z');
  readonly table = new NotificationTable();
  readonly deliveries = new InMemoryDeliveries(this.table);
  readonly disclosures = new InMemoryDisclosures(this.table);
  readonly unitOfWork = new RecordingUnitOfWork();
  readonly timers = new RecordingTimers();
  readonly email = new RecordingChannel();
  readonly sms = new RecordingChannel();
  readonly preferences = new Map<string, PreferencesRow>();
  readonly contacts = new Map<string, Contact>();
  /** Recipients whose contact lookup fails with an error of its own (a fault, not a delivery's failure). */
  readonly lookupFaults = new Map<string, Error>();
  /** What intake answers to a disclosure check (allowed unless a test says otherwise). */
  intakeVerdict: (request: DisclosureRequest) => DisclosureVerdict = (request) => {
    // Intake allows under the recipient's consent this service knows of (or one of its own, `c`).
    const consentId =
      this.disclosures.consents.find(
        (c) => c.clientId === request.clientId && c.recipientId === request.recipientId,
      )?.consentId ?? 'c';
    return { allowed: true, consentId, terms: { consentId, ...CONSENT_TERMS } };
  };
  readonly intakeChecks: DisclosureRequest[] = [];
  readonly posted: { url: string; id: string; body: string }[] = [];
  webhookFailure: DeliveryError | undefined;
  /** How a receiver answers one delivery (by its URL and client): a failure, or undefined to accept it. */
  webhookRefusal: (url: string, clientId: string | null) => DeliveryError | undefined = () => undefined;
  /** What the sending pass does first (escalating alerts): nothing unless a test says otherwise. */
  escalate: () => Promise<void> = () => Promise.resolve();
  readonly observed: [string, string, DeliveryOutcome, string][] = [];
  private readonly observer: DeliveryObserver = {
    outcome: (kind, channel, outcome, reason) => this.observed.push([kind, channel, outcome, reason]),
  };

  readonly outcomes = new RecordDeliveryOutcome(this.unitOfWork, this.clock, this.deliveries, this.observer);
  readonly deferral = new DeferNotification(
    this.unitOfWork,
    this.clock,
    this.timers,
    this.deliveries,
    this.observer,
  );
  readonly retries = new RetryDelivery(
    this.unitOfWork,
    this.clock,
    this.timers,
    this.deliveries,
    this.outcomes,
    this.observer,
  );
  readonly disclosure = new SendTimeDisclosure(this.clock, DISPATCH_SETTINGS, this.disclosures, {
    intake: (request) => {
      this.intakeChecks.push(request);
      return Promise.resolve(this.intakeVerdict(request));
    },
  });
  readonly sendMessage = new SendMessage(
    this.clock,
    DISPATCH_SETTINGS,
    { find: (id) => Promise.resolve(this.preferences.get(id)) },
    {
      client: (id, channel) => this.contact(id, channel),
      staff: (id, channel) => this.contact(id, channel),
      familyMember: (_client, id, channel) => this.contact(id, channel),
    },
    this.email,
    this.sms,
    this.disclosure,
    this.deliveries,
    this.outcomes,
    this.deferral,
    this.retries,
  );
  readonly postWebhook = new PostWebhook(
    this.clock,
    DISPATCH_SETTINGS,
    this.disclosures,
    {
      post: (url, _secret, id, body) => {
        const failure =
          this.webhookFailure ?? this.webhookRefusal(url, this.table.byId(id)?.client_id ?? null);
        if (failure !== undefined) return Promise.reject(failure);
        this.posted.push({ url, id, body });
        return Promise.resolve();
      },
    },
    this.disclosure,
    this.outcomes,
    this.retries,
  );
  readonly dispatch = new DispatchDueNotifications(
    this.unitOfWork,
    this.clock,
    DISPATCH_SETTINGS,
    this.deliveries,
    { escalateOverdue: () => this.escalate() },
    this.sendMessage,
    this.postWebhook,
    this.retries,
  );

  /** Contacts are looked up by recipient and channel, whatever the kind of recipient. */
  private contact(recipientId: string, channel: string): Promise<Contact | undefined> {
    const fault = this.lookupFaults.get(recipientId);
    if (fault !== undefined) return Promise.reject(fault);
    return Promise.resolve(this.contacts.get(`${recipientId}:${channel}`));
  }

  /** Gives the recipient an address on `channel`, in Chicago. */
  reachable(recipientId: string, channel: 'email' | 'sms'): void {
    this.contacts.set(`${recipientId}:${channel}`, {
      channel,
      address: `${recipientId}@${channel}`,
      timeZone: 'America/Chicago',
      preferredLanguage: 'en',
    });
  }

  /** Queues a notification to the client at the site, due now unless `spec` says otherwise; its id. */
  async queue(spec: Partial<NewNotification> & Pick<NewNotification, 'kind'>): Promise<string> {
    const id = await this.table.queue(
      {
        dedupeKey: randomUUID(),
        triggerEventId: randomUUID(),
        recipientId: this.clientId,
        recipientKind: 'client',
        clientId: this.clientId,
        siteId: this.siteId,
        dueAt: this.clock.now(),
        ...spec,
      },
      this.clock.now(),
    );
    return id ?? '';
  }

  /** A 2-hour reminder of the client's appointment at 17:00 UTC, due now. */
  reminder(): Promise<string> {
    return this.queue({
      kind: 'reminder',
      templateCode: 'appointment-reminder-2h',
      params: { startsAt: '2025-10-01T17:00:00Z', offset: '2h' },
    });
  }

  /** Queues a notification (a reminder unless `spec` says otherwise) and claims it, as a sending pass would. */
  async claimed(spec: Partial<NewNotification> = {}): Promise<NotificationRow> {
    await this.queue({ kind: 'reminder', ...spec });
    const [row] = await this.claimDue();
    if (row === undefined) throw new Error('nothing claimed');
    return row;
  }

  /** Claims what is due now, as a sending pass does. */
  claimDue(): Promise<NotificationRow[]> {
    return this.deliveries.claimDue(undefined, this.clock.now(), 60_000, 20);
  }

  /** The notification's status, reason and attempts. */
  state(id: string) {
    const row = this.table.byId(id);
    return { status: row?.status, reason: row?.reason, attempts: row?.attempts };
  }

  /** The events published, as [type, reason]. */
  events(): [string, string | undefined][] {
    return this.unitOfWork.published.map((e) => [e.type, (e.payload as { reason?: string }).reason]);
  }
}
