import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Idempotent, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { AddMedication } from './add-medication';
import { ListMedications } from './list-medications';
import { AddMedicationDto, MedicationView, StopMedicationDto } from './medication.dto';
import { StopMedication } from './stop-medication';

@ApiTags('medications')
@Controller()
export class MedicationsController {
  constructor(
    private readonly adding: AddMedication,
    private readonly stopping: StopMedication,
    private readonly listing: ListMedications,
  ) {}

  @Post('episodes/:episodeId/medications')
  @Idempotent()
  @RequirePermission('medications:write')
  @ApiCreatedResponse({
    type: MedicationView,
    description: 'Publishes MedicationStarted. 404 for an episode of another site',
  })
  add(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) episodeId: string,
    @Body() body: AddMedicationDto,
  ): Promise<MedicationView> {
    return this.adding.execute(actor, episodeId, body);
  }

  @Post('medications/:medicationId/stop')
  @HttpCode(200)
  @RequirePermission('medications:write')
  @ApiOkResponse({
    type: MedicationView,
    description: 'Publishes MedicationStopped; 409 when already stopped',
  })
  stop(
    @CurrentActor() actor: Actor,
    @Param('medicationId', ParseIdPipe) medicationId: string,
    @Body() body: StopMedicationDto,
  ): Promise<MedicationView> {
    return this.stopping.execute(actor, medicationId, body);
  }

  @Get('episodes/:episodeId/medications')
  @RequirePermission('medications:read')
  @ApiOkResponse({ type: [MedicationView] })
  list(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) episodeId: string,
  ): Promise<MedicationView[]> {
    return this.listing.execute(actor, episodeId);
  }
}
