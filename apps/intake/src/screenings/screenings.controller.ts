import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CurrentActor,
  Idempotent,
  type Page,
  ParseIdPipe,
  RequirePermission,
} from '@stepwise/security';
import { ScreeningListQuery, ScreeningView, SubmitScreeningDto } from './screening.dto';
import { ListScreenings } from './list-screenings';
import { ReadScreening } from './read-screening';
import { SubmitScreening } from './submit-screening';

@ApiTags('screenings')
@Controller()
export class ScreeningsController {
  constructor(
    private readonly submitScreening: SubmitScreening,
    private readonly listScreenings: ListScreenings,
    private readonly readScreening: ReadScreening,
  ) {}

  @Post('clients/:clientId/screenings')
  @Idempotent()
  @RequirePermission('screenings:write')
  @ApiCreatedResponse({
    type: ScreeningView,
    description:
      'Scored and banded; publishes ScreeningCompleted (without answers). 422 for an item out of range',
  })
  submit(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Body() body: SubmitScreeningDto,
  ): Promise<ScreeningView> {
    return this.submitScreening.execute(actor, clientId, body);
  }

  @Get('clients/:clientId/screenings')
  @RequirePermission('screenings:read')
  @ApiOkResponse({ description: "A page of the client's screenings, oldest first" })
  list(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Query() query: ScreeningListQuery,
  ): Promise<Page<ScreeningView>> {
    return this.listScreenings.execute(actor, clientId, query);
  }

  @Get('screenings/:screeningId')
  @RequirePermission('screenings:read')
  @ApiOkResponse({ type: ScreeningView })
  read(@CurrentActor() actor: Actor, @Param('screeningId', ParseIdPipe) id: string): Promise<ScreeningView> {
    return this.readScreening.execute(actor, id);
  }
}
