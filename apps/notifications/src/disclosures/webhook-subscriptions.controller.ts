import { randomBytes, randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ConsentPurpose, RecipientKind } from '@stepwise/contracts';
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
  timestampKey,
  toPage,
} from '@stepwise/security';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsUUID, IsUrl, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { T } from '../delivery/notification-store';
import { DISCLOSURE_CATEGORIES } from './disclosure-fan-out';

const DISCLOSABLE = Object.keys(DISCLOSURE_CATEGORIES.byEvent);

/** An outside system's subscription: who it is (as consents name it), for what purposes, which care events. */
export class CreateSubscriptionDto {
  @ApiProperty({ description: 'The organisation as consents name it (ConsentGranted.recipient.id).' })
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId!: string;

  @ApiProperty({ enum: RecipientKind })
  @IsIn(Object.values(RecipientKind).filter((k) => k !== RecipientKind.FamilyMember))
  recipientKind!: RecipientKind;

  @ApiProperty({ enum: ConsentPurpose, isArray: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsIn(Object.values(ConsentPurpose), { each: true })
  purposes!: ConsentPurpose[];

  @ApiProperty({ isArray: true, example: ['SessionAttended'] })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsIn(DISCLOSABLE, { each: true })
  eventTypes!: string[];

  @ApiProperty({ example: 'https://ehr.example.org/hooks/stepwise' })
  @MaxLength(2000)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  url!: string;
}

interface DeliveryRow {
  id: string;
  trigger_event_id: string;
  status: string;
  reason: string | null;
  attempts: number;
  created_at: Date;
  created_key: string;
}

/** Webhook subscriptions of outside systems, and each subscriber's delivery log. */
@ApiTags('webhooks')
@Controller('webhook-subscriptions')
export class WebhookSubscriptionsController {
  constructor(private readonly dataSource: DataSource) {}

  @Post()
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Registers a subscriber; the signing secret is shown only in this answer' })
  @RequirePermission('webhooks:write')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateSubscriptionDto,
  ): Promise<Record<string, unknown>> {
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    await this.dataSource.query(
      `INSERT INTO ${T('webhook_subscriptions')} (id, network_id, organisation_id, recipient_kind, purposes, event_types, url,
          secret, status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9)`,
      [
        id,
        actor.principal.network ?? null,
        body.organisationId,
        body.recipientKind,
        body.purposes,
        body.eventTypes,
        body.url,
        secret,
        actor.principal.id,
      ],
    );
    return {
      id,
      ...body,
      status: 'active',
      secret,
      signatureHeader: 'Stepwise-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">',
    };
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
    const [[row]] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE ${T('webhook_subscriptions')} SET status = 'disabled', disabled_at = COALESCE(disabled_at, now())
        WHERE id = $1 AND network_id IS NOT DISTINCT FROM $2 RETURNING id`,
      [subscriptionId, actor.principal.network ?? null],
    );
    if (row === undefined) throw new ProblemException('not-found', { detail: 'No such subscription' });
  }

  @Get(':subscriptionId/deliveries')
  @ApiOperation({ summary: "A subscriber's delivery log, oldest first" })
  @RequirePermission('webhooks:read')
  async deliveries(
    @CurrentActor() actor: Actor,
    @Param('subscriptionId', ParseIdPipe) subscriptionId: string,
    @Query() query: PageQuery,
  ): Promise<Page<Record<string, unknown>>> {
    const [subscription] = await this.dataSource.query<{ network_id: string | null }[]>(
      `SELECT network_id FROM ${T('webhook_subscriptions')} WHERE id = $1`,
      [subscriptionId],
    );
    if (subscription === undefined || subscription.network_id !== (actor.principal.network ?? null))
      throw new ProblemException('not-found', { detail: 'No such subscription' });
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
    const rows = await this.dataSource.query<DeliveryRow[]>(
      `SELECT id, trigger_event_id, status, reason, attempts, created_at, ${timestampKey('created_at')} AS created_key
         FROM ${T('notifications')} WHERE subscription_id = $1
         ${after === undefined ? '' : 'AND (created_at, id) > ($3::timestamptz, $4::uuid)'}
        ORDER BY created_at, id LIMIT $2`,
      after === undefined
        ? [subscriptionId, limit + 1]
        : [subscriptionId, limit + 1, String(after[0]), String(after[1])],
    );
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
