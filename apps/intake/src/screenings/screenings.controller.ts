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
import { ScreeningsService } from './screenings.service';

@ApiTags('screenings')
@Controller()
export class ScreeningsController {
  constructor(private readonly screenings: ScreeningsService) {}

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
    return this.screenings.submit(actor, clientId, body);
  }

  @Get('clients/:clientId/screenings')
  @RequirePermission('screenings:read')
  @ApiOkResponse({ description: "A page of the client's screenings, oldest first" })
  list(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Query() query: ScreeningListQuery,
  ): Promise<Page<ScreeningView>> {
    return this.screenings.list(actor, clientId, query);
  }

  @Get('screenings/:screeningId')
  @RequirePermission('screenings:read')
  @ApiOkResponse({ type: ScreeningView })
  read(@CurrentActor() actor: Actor, @Param('screeningId', ParseIdPipe) id: string): Promise<ScreeningView> {
    return this.screenings.read(actor, id);
  }
}
