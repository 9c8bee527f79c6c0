import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, type Page, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { ListOpenAlerts } from './list-open-alerts';
import { ClientAlertsPage, type ClientAlertsView, OpenAlertsQuery } from './open-alerts.dto';

@ApiTags('alerts')
@Controller('sites/:siteId/alerts')
export class SiteAlertsController {
  constructor(private readonly openAlerts: ListOpenAlerts) {}

  @Get()
  @RequirePermission('alerts:read', { site: { param: 'siteId' } })
  @ApiOkResponse({
    type: ClientAlertsPage,
    description:
      "Notifications' part of the census: each client's open alerts (urgent ones not acknowledged, others raised since `since`), clients in id order; each client listed is audited",
  })
  list(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: OpenAlertsQuery,
  ): Promise<Page<ClientAlertsView>> {
    return this.openAlerts.list(actor, siteId.toLowerCase(), query);
  }
}
