import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
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
import { DestinationRefused, WebhookDestinations } from '../channels/webhook-destination';
import { newWebhookSecret } from '../channels/webhook-signature';
import { CreateSubscriptionDto } from './webhook-subscriptions.dto';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';

/** Webhook subscriptions of outside systems, and each subscriber's delivery log. */
@ApiTags('webhooks')
@Controller('webhook-subscriptions')
export class WebhookSubscriptionsController {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly destinations: WebhookDestinations,
  ) {}

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
    const networkId = actor.principal.network;
    if (networkId === undefined)
      throw new ProblemException('permission-denied', {
        detail: 'Webhook subscriptions belong to a network, and your token names none',
      });
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
    });
    return {
      id,
      ...body,
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
