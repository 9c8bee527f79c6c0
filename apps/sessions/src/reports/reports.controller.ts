import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { ProgressSummaryView } from './reports.dto';
import { ReadProgress } from './read-progress';

@ApiTags('progress and billing')
@Controller()
export class ReportsController {
  constructor(private readonly progressSummary: ReadProgress) {}

  @Get('clients/:clientId/progress')
  @RequirePermission('attendance:read')
  @ApiOkResponse({ type: ProgressSummaryView, description: "The client's latest episode; audited" })
  progress(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
  ): Promise<ProgressSummaryView> {
    return this.progressSummary.progress(actor, clientId);
  }
}
