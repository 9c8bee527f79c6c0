import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CurrentActor,
  type Page,
  PageQuery,
  ParseIdPipe,
  RequirePermission,
} from '@stepwise/security';
import { CensusPage, type CensusEntryView } from './census.dto';
import { ReadCensus } from './read-census';

@ApiTags('census')
@Controller()
export class CensusController {
  constructor(private readonly readCensus: ReadCensus) {}

  @Get('sites/:siteId/census')
  @RequirePermission('clients:read', { site: { param: 'siteId' } })
  @ApiOkResponse({
    type: CensusPage,
    description:
      "The site's active episodes with their clients (intake's part of the census; join sessions' and notifications' census by clientId); each client listed is audited",
  })
  list(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: PageQuery,
  ): Promise<Page<CensusEntryView>> {
    return this.readCensus.execute(actor, siteId, query);
  }
}
