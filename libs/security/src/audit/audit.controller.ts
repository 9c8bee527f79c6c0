import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { type Actor } from '../auth/principal';
import { CurrentActor } from '../auth/request-principal';
import { RequirePermission } from '../authorization/require-permission.decorator';
import { ParseIdPipe } from '../http/validation';
import { type Page, PageQuery, pageLimit } from '../pagination/page';
import { ProblemException } from '../problems/problem.exception';
import { type AuditEntryView, AuditTrail } from './audit-trail';

/** An instant, not a wall-clock time: without an offset the range would depend on the server's zone. */
const WITH_OFFSET = /T.*(Z|[+-]\d{2}:\d{2})$/;

class AuditRangeQuery extends PageQuery {
  @ApiProperty({
    description: 'Start of the range (inclusive), ISO 8601 with offset',
    example: '2025-01-01T00:00:00Z',
  })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'from must be an ISO 8601 date-time' })
  @Matches(WITH_OFFSET, { message: 'from must end with Z or an offset such as +01:00' })
  from!: string;

  @ApiProperty({
    description: 'End of the range (exclusive), ISO 8601 with offset',
    example: '2025-02-01T00:00:00Z',
  })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'to must be an ISO 8601 date-time' })
  @Matches(WITH_OFFSET, { message: 'to must end with Z or an offset such as +01:00' })
  to!: string;
}

/** Auditors read one client's audit trail over a time range (HIPAA audit controls; 42 CFR Part 2). */
@ApiTags('audit')
@Controller('audit/clients/:clientId/entries')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({ summary: "List a client's audit entries in a time range, oldest first" })
  @ApiOkResponse({ description: 'A page of audit entries' })
  async list(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Query() query: AuditRangeQuery,
  ): Promise<Page<AuditEntryView>> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(to.getTime() > from.getTime())) {
      throw new ProblemException('validation-failed', {
        errors: [{ field: 'to', problems: ['to must be after from'] }],
      });
    }
    // Reading the trail is itself an access to the client's record.
    await this.audit.record(actor, {
      action: 'list',
      resourceType: 'audit-entry',
      clientId,
      outcome: 'allowed',
    });
    return this.audit.listForClient(actor, {
      clientId,
      from,
      to,
      limit: pageLimit(query),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
  }
}
