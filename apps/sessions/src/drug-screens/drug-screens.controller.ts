import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Idempotent, RequirePermission } from '@stepwise/security';
import { DrugScreenView, RecordDrugScreenDto } from './drug-screen.dto';
import { RecordDrugScreen } from './record-drug-screen';

@ApiTags('drug-screens')
@Controller('drug-screens')
export class DrugScreensController {
  constructor(private readonly screens: RecordDrugScreen) {}

  @Post()
  @Idempotent()
  @RequirePermission('drug-screens:write')
  @ApiCreatedResponse({
    type: DrugScreenView,
    description:
      'Publishes DrugScreenResulted; a positive result resets the sobriety date. 404 for an episode of another site',
  })
  record(@CurrentActor() actor: Actor, @Body() body: RecordDrugScreenDto): Promise<DrugScreenView> {
    return this.screens.record(actor, body);
  }
}
