import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Idempotent, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { CreateGroupSeries } from './create-group-series';
import { GetGroupSeries } from './get-group-series';
import { type CapacityView, type GroupSeriesView } from './series.views';
import { ViewSeriesCapacity } from './view-series-capacity';
import { WithdrawFromSeries } from './withdraw-from-series';
import { CreateGroupSeriesDto, WithdrawDto } from './series.dto';

@ApiTags('group series')
@Controller()
export class SeriesController {
  constructor(
    private readonly creations: CreateGroupSeries,
    private readonly series: GetGroupSeries,
    private readonly capacities: ViewSeriesCapacity,
    private readonly withdrawals: WithdrawFromSeries,
  ) {}

  @Post('sites/:siteId/group-series')
  @Idempotent()
  @ApiOperation({ summary: 'Create a weekly group series; a facilitator or room already booked answers 409' })
  @ApiCreatedResponse({ description: 'The series; its occurrences exist up to the horizon' })
  @RequirePermission('groups:write', { site: { param: 'siteId' } })
  create(
    @Param('siteId', ParseIdPipe) siteId: string,
    @Body() body: CreateGroupSeriesDto,
  ): Promise<GroupSeriesView> {
    return this.creations.execute(siteId.toLowerCase(), body);
  }

  @Get('group-series/:seriesId')
  @ApiOkResponse({ description: 'The series' })
  @RequirePermission('groups:read')
  get(
    @CurrentActor() actor: Actor,
    @Param('seriesId', ParseIdPipe) seriesId: string,
  ): Promise<GroupSeriesView> {
    return this.series.execute(actor, seriesId.toLowerCase());
  }

  @Get('group-series/:seriesId/capacity')
  @ApiOkResponse({ description: 'Capacity, seats taken and the waitlist in order' })
  @RequirePermission('groups:read')
  capacity(
    @CurrentActor() actor: Actor,
    @Param('seriesId', ParseIdPipe) seriesId: string,
  ): Promise<CapacityView> {
    return this.capacities.execute(actor, seriesId.toLowerCase());
  }

  @Post('group-series/:seriesId/members/:clientId/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a client out of a series; the first waiting client gets the seat' })
  @ApiOkResponse({ description: 'Capacity and waitlist after the change' })
  @RequirePermission('groups:write')
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('seriesId', ParseIdPipe) seriesId: string,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Body() body: WithdrawDto,
  ): Promise<CapacityView> {
    return this.withdrawals.execute(actor, seriesId.toLowerCase(), clientId.toLowerCase(), body.reason);
  }
}
