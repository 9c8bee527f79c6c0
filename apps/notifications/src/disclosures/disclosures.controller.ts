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
  toPage,
} from '@stepwise/security';
import { DisclosuresRepository } from './disclosures.repository';

/** 42 CFR § 2.24 / HIPAA accounting: every disclosure made with consent for one client, the last 3 years. */
@ApiTags('disclosures')
@Controller('clients/:clientId/disclosures')
export class DisclosuresController {
  constructor(
    private readonly disclosures: DisclosuresRepository,
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
    const rows = await this.disclosures.accounting(
      clientId,
      { networkWide, sites: actor.principal.sites },
      limit,
      after,
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
        // What exactly was sent: how, the SHA-256 of the content, and the consent terms it carried.
        channel: row.channel,
        contentSha256: row.content_sha256,
        redisclosureVersion: row.redisclosure_version,
        consentScope: row.consent_scope,
        disclosedAt: row.disclosed_at.toISOString(),
      }),
    );
  }
}
