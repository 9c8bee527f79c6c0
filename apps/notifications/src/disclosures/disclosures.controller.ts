import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  AuditTrail,
  CurrentActor,
  type Page,
  PageQuery,
  ParseIdPipe,
  RequirePermission,
  decodeCursor,
  pageLimit,
  timestampKey,
  toPage,
} from '@stepwise/security';
import { DataSource } from 'typeorm';
import { T } from '../delivery/notification-store';

interface DisclosureRow {
  id: string;
  site_id: string | null;
  recipient_kind: string;
  recipient_id: string;
  consent_id: string;
  purpose: string;
  category: string;
  event_type: string;
  notice_version: string;
  disclosed_at: Date;
  disclosed_key: string;
}

/** 42 CFR § 2.24 / HIPAA accounting: every disclosure made with consent for one client, the last 3 years. */
@ApiTags('disclosures')
@Controller('clients/:clientId/disclosures')
export class DisclosuresController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Accounting of disclosures of one client (3 years), oldest first' })
  @RequirePermission('disclosures:read')
  async list(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Query() query: PageQuery,
  ): Promise<Page<Record<string, unknown>>> {
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
    const networkWide = actor.principal.roles.includes('network-admin');
    const rows = await this.dataSource.query<DisclosureRow[]>(
      `SELECT id, site_id, recipient_kind, recipient_id, consent_id, purpose, category, event_type, notice_version,
              disclosed_at, ${timestampKey('disclosed_at')} AS disclosed_key
         FROM ${T('disclosures')}
        WHERE client_id = $1 AND disclosed_at >= now() - interval '3 years'
          AND ($3::boolean OR site_id = ANY($4::uuid[]))
          ${after === undefined ? '' : 'AND (disclosed_at, id) > ($5::timestamptz, $6::uuid)'}
        ORDER BY disclosed_at, id LIMIT $2`,
      [
        clientId,
        limit + 1,
        networkWide,
        actor.principal.sites,
        ...(after === undefined ? [] : [String(after[0]), String(after[1])]),
      ],
    );
    await this.audit.record(actor, {
      action: 'list',
      resourceType: 'disclosure',
      clientId,
      outcome: 'allowed',
    });
    return toPage(
      rows,
      limit,
      (row) => [row.disclosed_key, row.id],
      (row) => ({
        id: row.id,
        siteId: row.site_id,
        recipientKind: row.recipient_kind,
        recipientId: row.recipient_id,
        consentId: row.consent_id,
        purpose: row.purpose,
        informationCategory: row.category,
        eventType: row.event_type,
        noticeVersion: row.notice_version,
        disclosedAt: row.disclosed_at.toISOString(),
      }),
    );
  }
}
