import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, ProblemException } from '@stepwise/security';
import { Clock } from '@stepwise/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { newWebhookSecret } from '../channels/webhook-signature';
import { NotificationTimers } from '../timers/notification-timers';
import {
  type LockedSubscription,
  type ReplayRecord,
  WebhookSubscriptionsRepository,
} from './webhook-subscriptions.repository';

/** The most deliveries one replay may queue: a wider range is refused (ask for shorter ones). */
export const REPLAY_LIMIT = 10_000;

/** What a catch-up or a replay queued, as its answer says. */
export interface ReplaySummary {
  readonly id: string;
  readonly kind: 'catch-up' | 'replay';
  readonly from: string | null;
  readonly to: string | null;
  /** Deliveries queued: each is consent-checked again when sent, and accounted for as a disclosure then. */
  readonly queued: number;
  /** Deliveries not queued: their consent has been revoked or has expired since. */
  readonly withheld: number;
}

export interface RotatedSecret {
  readonly id: string;
  readonly secret: string;
  readonly previousSecretExpiresAt: string;
}

/**
 * A subscription's lifecycle, as its network's admins drive it: rotating its secret with an overlap window,
 * re-enabling it (and choosing to deliver what it missed), replaying a time range. Each begins by locking the
 * subscription within the caller's network (another network's answers 404), is audited in its transaction,
 * and queues deliveries only under a consent that still holds; each queued delivery is checked again when it is
 * sent (`SendTimeDisclosure`), so a revocation stops it even then.
 */
@Injectable()
export class WebhookSubscriptionLifecycle {
  constructor(
    @Inject(DataSource) private readonly dataSource: Pick<DataSource, 'transaction'>,
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(NotificationTimers) private readonly timers: NotificationTimers,
  ) {}

  /** A new secret signs from now; until `now + overlapSeconds` the previous one signs alongside it. */
  rotateSecret(actor: Actor, subscriptionId: string, overlapSeconds: number): Promise<RotatedSecret> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.locked(manager, actor, subscriptionId, 'rotate-secret');
      const now = this.clock.now();
      const overlapUntil = new Date(now.getTime() + overlapSeconds * 1000);
      // Shown once, like the first: a Standard Webhooks secret.
      const secret = newWebhookSecret();
      await this.subscriptions.rotateSecret(manager, subscription.id, secret, overlapUntil, now);
      await this.audited(manager, actor, subscription.id, 'rotate-secret');
      return { id: subscription.id, secret, previousSecretExpiresAt: overlapUntil.toISOString() };
    });
  }

  /**
   * Re-enables a disabled subscription (an active one is a 409). With `deliverMissed`, what it missed is queued
   * again in its original order, ahead of anything newer for the same client: its deliveries withheld while
   * disabled and those that failed for good since its last successful delivery — each once, and only under a
   * consent that still holds.
   */
  async enable(
    actor: Actor,
    subscriptionId: string,
    deliverMissed: boolean,
  ): Promise<ReplaySummary | undefined> {
    const { summary, first } = await this.dataSource.transaction(async (manager) => {
      const subscription = await this.locked(manager, actor, subscriptionId, 'enable');
      if (subscription.status === 'active')
        throw new ProblemException('invalid-transition', { detail: 'The subscription is active already' });
      await this.subscriptions.enable(manager, subscription.id);
      await this.audited(manager, actor, subscription.id, 'enable');
      if (!deliverMissed) return { summary: undefined, first: undefined };
      const now = this.clock.now();
      const missed = await this.subscriptions.missedDeliveries(manager, subscription.id, now);
      const queued = missed.filter((m) => m.consented).map((m) => m.id);
      await this.subscriptions.requeue(manager, queued, now);
      const record = await this.record(manager, actor, {
        subscriptionId: subscription.id,
        kind: 'catch-up',
        from: null,
        to: null,
        queued: queued.length,
        withheld: missed.length - queued.length,
      });
      return { summary: record, first: queued[0] };
    });
    await this.wake(first);
    return summary;
  }

  /**
   * Delivers again the subscription's deliveries of events that happened in [from, to), as new deliveries
   * (their own ids, after anything already queued for each client), only under a consent that still holds.
   */
  async replay(
    actor: Actor,
    subscriptionId: string,
    range: { from: Date; to: Date },
  ): Promise<ReplaySummary> {
    const { summary, first } = await this.dataSource.transaction(async (manager) => {
      const subscription = await this.locked(manager, actor, subscriptionId, 'replay');
      if (subscription.status !== 'active')
        throw new ProblemException('invalid-transition', {
          detail: 'The subscription is disabled: re-enable it first (it may deliver what it missed then)',
        });
      await this.audited(manager, actor, subscription.id, 'replay');
      const now = this.clock.now();
      const sources = await this.subscriptions.replaySources(
        manager,
        subscription.id,
        range,
        now,
        REPLAY_LIMIT + 1,
      );
      if (sources.length > REPLAY_LIMIT)
        throw new ProblemException('unprocessable', {
          detail: `The range holds more than ${REPLAY_LIMIT} deliveries: ask for shorter ranges`,
        });
      const replayId = randomUUID();
      let firstId: string | undefined;
      let queued = 0;
      for (const source of sources.filter((s) => s.consented)) {
        const id = await this.subscriptions.queue(
          manager,
          {
            dedupeKey: `webhook:${subscription.id}:${source.trigger_event_id}:replay:${replayId}`,
            kind: 'webhook',
            triggerEventId: source.trigger_event_id,
            recipientId: subscription.id,
            recipientKind: 'system',
            clientId: source.client_id,
            ...(source.site_id === null ? {} : { siteId: source.site_id }),
            channel: 'webhook',
            subscriptionId: subscription.id,
            params: { ...source.params, replayId },
            dueAt: now,
          },
          now,
        );
        if (id === undefined) continue;
        firstId ??= id;
        queued += 1;
      }
      const record = await this.record(
        manager,
        actor,
        {
          subscriptionId: subscription.id,
          kind: 'replay',
          from: range.from,
          to: range.to,
          queued,
          withheld: sources.length - queued,
        },
        replayId,
      );
      return { summary: record, first: firstId };
    });
    await this.wake(first);
    return summary;
  }

  /** The subscription, locked, if it belongs to the caller's network; else 404 (audited as denied). */
  private async locked(
    manager: EntityManager,
    actor: Actor,
    subscriptionId: string,
    action: string,
  ): Promise<LockedSubscription> {
    const network = actor.principal.network;
    const subscription =
      network === undefined ? undefined : await this.subscriptions.lock(manager, subscriptionId, network);
    if (subscription === undefined) {
      await this.audit.record(actor, {
        action,
        resourceType: 'webhook-subscription',
        resourceId: subscriptionId,
        outcome: 'denied',
      });
      throw new ProblemException('not-found', { detail: 'No such subscription' });
    }
    return subscription;
  }

  private audited(
    manager: EntityManager,
    actor: Actor,
    subscriptionId: string,
    action: string,
  ): Promise<void> {
    return this.audit.record(
      actor,
      {
        action,
        resourceType: 'webhook-subscription',
        resourceId: subscriptionId,
        ...(actor.principal.network === undefined ? {} : { networkId: actor.principal.network }),
        outcome: 'allowed',
      },
      manager,
    );
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    replay: Omit<ReplayRecord, 'id' | 'requestedBy' | 'requestedAt'>,
    id: string = randomUUID(),
  ): Promise<ReplaySummary> {
    const requestedAt = this.clock.now();
    await this.subscriptions.recordReplay(manager, {
      ...replay,
      id,
      requestedBy: actor.principal.id,
      requestedAt,
    });
    return {
      id,
      kind: replay.kind,
      from: replay.from?.toISOString() ?? null,
      to: replay.to?.toISOString() ?? null,
      queued: replay.queued,
      withheld: replay.withheld,
    };
  }

  /**
   * One timer for the first delivery queued is enough: the sending pass it wakes claims everything due, round
   * after round, each client's deliveries in order.
   */
  private async wake(first: string | undefined): Promise<void> {
    if (first !== undefined) await this.timers.schedule(first, this.clock.now());
  }
}
