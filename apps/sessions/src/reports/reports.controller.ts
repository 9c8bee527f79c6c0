import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, type Page, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { CensusProgressPage, type CensusProgressView, CensusQuery, ProgressSummaryView } from './reports.dto';
import { ReadCensus } from './read-census';
import { ReadProgress } from './read-progress';

@ApiTags('progress and billing')
@Controller()
export class ReportsController {
  constructor(
    private readonly progressSummary: ReadProgress,
    private readonly censuses: ReadCensus,
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

  @Get('sites/:siteId/census')
  @RequirePermission('attendance:read', { site: { param: 'siteId' } })
  @ApiOkResponse({
    type: CensusProgressPage,
    description:
      "Sessions' part of the census per active episode: the week's hours against the level's minimum, the last drug screen, weeks in program against the expected length (join intake's census by clientId); each client listed is audited",
  })
  census(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: CensusQuery,
  ): Promise<Page<CensusProgressView>> {
    return this.censuses.census(actor, siteId.toLowerCase(), query);
  }
}
