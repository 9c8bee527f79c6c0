import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, type Page, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { BillableDaysQuery, type BillableWeekView, ProgressSummaryView } from './reports.dto';
import { ListBillableDays } from './list-billable-days';
import { ReadProgress } from './read-progress';

@ApiTags('progress and billing')
@Controller()
export class ReportsController {
  constructor(
    private readonly progressSummary: ReadProgress,
    private readonly billing: ListBillableDays,
  ) {}

  @Get('clients/:clientId/progress')
  @RequirePermission('attendance:read')
  @ApiOkResponse({ type: ProgressSummaryView, description: "The client's latest episode; audited" })
  progress(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
  ): Promise<ProgressSummaryView> {
    return this.progressSummary.progress(actor, clientId);
  }

  @Get('sites/:siteId/billable-days')
  @RequirePermission('billable-days:read', { site: { param: 'siteId' } })
  @ApiOkResponse({
    description: 'Billable IOP days (≥ 3 h attended) per client for one ISO week; cursor pages',
  })
  billableDays(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: BillableDaysQuery,
  ): Promise<Page<BillableWeekView>> {
    return this.billing.billableDays(actor, siteId, query);
  }
}
