import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  AuditTrail,
  CurrentActor,
  Idempotent,
  type Page,
  PageQuery,
  ParseIdPipe,
  ProblemException,
  RequirePermission,
  decodeCursor,
  pageLimit,
  toPage,
} from '@stepwise/security';
import { FHIR_WEBHOOK_EVENT_TYPES, WebhookPayloadFormat, offeredAsFhir } from '@stepwise/contracts';
import { DestinationRefused, WebhookDestinations } from '../channels/webhook-destination';
import { newWebhookSecret } from '../channels/webhook-signature';
import {
  type ReplaySummary,
  type RotatedSecret,
  WebhookSubscriptionLifecycle,
} from './webhook-subscription-lifecycle';
import {
  CreateSubscriptionDto,
  EnableSubscriptionDto,
  ReplayDto,
  RotateSecretDto,
} from './webhook-subscriptions.dto';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';

/**
 * A `fhir-r4` subscription receives each event as the resource it changed: an event that changes none (a drug
 * screen, a note ...) cannot be delivered that way, so registering for it is refused, naming it, rather than
 * accepted and never delivered.
 */
function refuseWithoutResource(eventTypes: readonly string[]): void {
  const without = eventTypes.filter((type) => !offeredAsFhir(type));
  if (without.length > 0)
    throw new ProblemException('unprocessable', {
      detail:
        `These events change no FHIR resource and are not offered with payloadFormat fhir-r4: ${without.join(', ')} ` +
        `(offered: ${FHIR_WEBHOOK_EVENT_TYPES.join(', ')})`,
    });
}

/** The longest range one replay may cover. */
const MAX_REPLAY_DAYS = 31;

/** Webhook subscriptions of outside systems, and each subscriber's delivery log. */
@ApiTags('webhooks')
@Controller('webhook-subscriptions')
export class WebhookSubscriptionsController {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly destinations: WebhookDestinations,
    private readonly lifecycle: WebhookSubscriptionLifecycle,
    private readonly audit: AuditTrail,
  ) {}

  /** The network's subscriptions with their state and backlog (never a secret). */
  @Get()
  @ApiOperation({
    summary:
      "The network's subscriptions, oldest first: status (and why disabled), failures in a row, last delivery, secret rotation, deliveries pending and held",
  })
  @RequirePermission('webhooks:read')
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: PageQuery,
  ): Promise<Page<Record<string, unknown>>> {
    const networkId = this.networkOf(actor);
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
    const rows = await this.subscriptions.list(networkId, limit, after);
    await this.audit.record(actor, {
      action: 'list',
      resourceType: 'webhook-subscription',
      networkId,
      outcome: 'allowed',
    });
    const iso = (at: Date | null): string | null => at?.toISOString() ?? null;
    return toPage(
      rows,
      limit,
      (row) => [row.created_key, row.id],
      (row) => ({
        id: row.id,
        organisationId: row.organisation_id,
        recipientKind: row.recipient_kind,
        purposes: row.purposes,
        eventTypes: row.event_types,
        payloadFormat: row.payload_format,
        url: row.url,
        status: row.status,
        disabledReason: row.disabled_reason,
        disabledAt: iso(row.disabled_at),
        consecutiveFailures: row.consecutive_failures,
        lastDeliveredAt: iso(row.last_delivered_at),
        secretRotatedAt: iso(row.secret_rotated_at),
        previousSecretExpiresAt: iso(row.previous_secret_expires_at),
        pendingDeliveries: row.pending,
        heldDeliveries: row.held,
        createdAt: row.created_at.toISOString(),
      }),
    );
  }

  @Post(':subscriptionId/secret-rotations')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary:
      'Rotates the signing secret (shown only in this answer); the previous one signs alongside until the overlap ends',
  })
  @RequirePermission('webhooks:write')
  rotateSecret(
    @CurrentActor() actor: Actor,
    @Param('subscriptionId', ParseIdPipe) subscriptionId: string,
    @Body() body: RotateSecretDto,
  ): Promise<RotatedSecret> {
    return this.lifecycle.rotateSecret(actor, subscriptionId, body.overlapSeconds ?? 86_400);
  }

  @Post(':subscriptionId/enable')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary:
      'Re-enables a disabled subscription; with deliverMissed, what it missed is delivered in order (consent re-checked)',
  })
  @RequirePermission('webhooks:write')
  async enable(
    @CurrentActor() actor: Actor,
    @Param('subscriptionId', ParseIdPipe) subscriptionId: string,
    @Body() body: EnableSubscriptionDto,
  ): Promise<{ id: string; status: 'active'; catchUp: ReplaySummary | null }> {
    const catchUp = await this.lifecycle.enable(actor, subscriptionId, body.deliverMissed);
    return { id: subscriptionId, status: 'active', catchUp: catchUp ?? null };
  }

  @Post(':subscriptionId/replays')
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary:
      'Delivers again the events of [from, to) the subscription was sent or missed, under consents that still hold',
  })
  @RequirePermission('webhooks:write')
  replay(
    @CurrentActor() actor: Actor,
    @Param('subscriptionId', ParseIdPipe) subscriptionId: string,
    @Body() body: ReplayDto,
  ): Promise<ReplaySummary> {
    const from = new Date(body.from);
    const to = new Date(body.to);
    if (to.getTime() <= from.getTime())
      throw new ProblemException('validation-failed', { detail: 'to must be later than from' });
    if (to.getTime() - from.getTime() > MAX_REPLAY_DAYS * 86_400_000)
      throw new ProblemException('validation-failed', {
        detail: `A replay covers at most ${MAX_REPLAY_DAYS} days`,
      });
    return this.lifecycle.replay(actor, subscriptionId, { from, to });
  }

  /** A network admin acts for the network their token names; one naming none has no subscriptions. */
  private networkOf(actor: Actor): string {
    const networkId = actor.principal.network;
    if (networkId === undefined)
      throw new ProblemException('permission-denied', {
        detail: 'Webhook subscriptions belong to a network, and your token names none',
      });
    return networkId;
  }

  @Post()
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Registers a subscriber; the signing secret is shown only in this answer' })
  @RequirePermission('webhooks:write')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateSubscriptionDto,
  ): Promise<Record<string, unknown>> {
    // A subscription receives the events of its network only (DisclosureFanOut): one without a network
    // would receive nothing, so a caller whose token names no network cannot register one.
    const networkId = this.networkOf(actor);
    const payloadFormat = body.payloadFormat ?? WebhookPayloadFormat.CloudEventsJson;
    if (payloadFormat === WebhookPayloadFormat.FhirR4) refuseWithoutResource(body.eventTypes);
    await this.checkDestination(body.url);
    const id = randomUUID();
    // A Standard Webhooks secret: receivers pass it as it is to any Standard Webhooks library.
    const secret = newWebhookSecret();
    await this.subscriptions.create({
      ...body,
      id,
      networkId,
      secret,
      createdBy: actor.principal.id,
      payloadFormat,
    });
    return {
      id,
      ...body,
      payloadFormat,
      status: 'active',
      secret,
      signatureScheme:
        'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature): see docs/integrating.md',
    };
  }

  /**
   * Refuses a URL that is not https (plain http only to loopback outside production) or whose host resolves to
   * an address the service must never post to. Checked again at each delivery (the name may change meanwhile).
   */
  private async checkDestination(url: string): Promise<void> {
    try {
      await this.destinations.check(url);
    } catch (error) {
      if (!(error instanceof DestinationRefused)) throw error;
      throw new ProblemException('webhook-destination-refused', {
        detail: `The webhook URL is refused: ${error.refusal}`,
      });
    }
  }

  /**
   * Ends a subscription. Disabled, not deleted: its delivery log and the accounting of disclosures made to it
   * must stay; deliveries still queued for it are cancelled as `subscription-disabled` when their turn comes.
   */
  @Delete(':subscriptionId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Disables a subscription: nothing more is delivered to it (its delivery log stays)',
  })
  @RequirePermission('webhooks:write')
  async disable(
    @CurrentActor() actor: Actor,
    @Param('subscriptionId', ParseIdPipe) subscriptionId: string,
  ): Promise<void> {
    if (!(await this.subscriptions.disable(subscriptionId, actor.principal.network ?? null)))
      throw new ProblemException('not-found', { detail: 'No such subscription' });
  }

  @Get(':subscriptionId/deliveries')
  @ApiOperation({ summary: "A subscriber's delivery log, oldest first" })
  @RequirePermission('webhooks:read')
  async deliveries(
    @CurrentActor() actor: Actor,
    @Param('subscriptionId', ParseIdPipe) subscriptionId: string,
    @Query() query: PageQuery,
  ): Promise<Page<Record<string, unknown>>> {
    const subscription = await this.subscriptions.find(subscriptionId);
    if (subscription === undefined || subscription.network_id !== (actor.principal.network ?? null))
      throw new ProblemException('not-found', { detail: 'No such subscription' });
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
    const rows = await this.subscriptions.deliveries(subscriptionId, limit, after);
    return toPage(
      rows,
      limit,
      (row) => [row.created_key, row.id],
      (row) => ({
        id: row.id,
        eventId: row.trigger_event_id,
        status: row.status,
        reason: row.reason,
        attempts: row.attempts,
        createdAt: row.created_at.toISOString(),
      }),
    );
  }
}
