import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, type Page, ParseIdPipe, RequirePermission } from '@stepwise/security';
import {
  BillableDaysQuery,
  type BillableWeekView,
  BillingExportQuery,
  BillingExportView,
} from './billing.dto';
import { billingCsv, ExportBilling } from './export-billing';
import { ListBillableDays } from './list-billable-days';

@ApiTags('progress and billing')
@Controller()
export class BillingController {
  constructor(
    private readonly billableDaysOfWeek: ListBillableDays,
    private readonly exports: ExportBilling,
  ) {}

  @Get('sites/:siteId/billable-days')
  @RequirePermission('billable-days:read', { site: { param: 'siteId' } })
  @ApiOkResponse({
    description:
      "Billable days per client for one ISO week under each payer's billing rule set (H0015: ≥ 3 h a day " +
      'and ≥ 3 such days a week), with the attended days not billed and why; cursor pages; audited per client',
  })
  billableDays(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: BillableDaysQuery,
  ): Promise<Page<BillableWeekView>> {
    return this.billableDaysOfWeek.billableDays(actor, siteId, query);
  }

  @Get('sites/:siteId/billing-export')
  @RequirePermission('billable-days:read', { site: { param: 'siteId' } })
  @ApiOkResponse({
    type: BillingExportView,
    description:
      'One line per billable client day of the period (client, date, code, units, diagnosis pointers, rendering ' +
      'staff), the unbilled attended days, and the sums reconciling both with attendance; audited per client. ' +
      '422 a period that ends before it starts or is longer than 92 days',
  })
  export(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: BillingExportQuery,
  ): Promise<BillingExportView> {
    return this.exports.export(actor, siteId, query);
  }

  @Get('sites/:siteId/billing-export.csv')
  @RequirePermission('billable-days:read', { site: { param: 'siteId' } })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The export lines as CSV (columns in the sessions README); audited per client',
  })
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: BillingExportQuery,
  ): Promise<string> {
    return billingCsv(await this.exports.export(actor, siteId, query));
  }
}
