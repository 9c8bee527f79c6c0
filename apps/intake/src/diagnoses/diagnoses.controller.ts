import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Idempotent, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { EpisodeDiagnosesView, RecordDiagnosesDto } from './diagnosis.dto';
import { ReadDiagnoses } from './read-diagnoses';
import { RecordDiagnoses } from './record-diagnoses';

@ApiTags('episodes of care')
@Controller()
export class DiagnosesController {
  constructor(
    private readonly recordDiagnoses: RecordDiagnoses,
    private readonly readDiagnoses: ReadDiagnoses,
  ) {}

  @Post('episodes/:episodeId/diagnoses')
  @HttpCode(200)
  @Idempotent()
  @RequirePermission('diagnoses:write')
  @ApiOkResponse({
    type: EpisodeDiagnosesView,
    description:
      "Records the episode's diagnoses (ICD-10-CM, primary first) as its next revision; publishes " +
      'EpisodeDiagnosesChanged. 422 a malformed code or a first day before admission or the current revision',
  })
  record(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) id: string,
    @Body() body: RecordDiagnosesDto,
  ): Promise<EpisodeDiagnosesView> {
    return this.recordDiagnoses.execute(actor, id, body);
  }

  @Get('episodes/:episodeId/diagnoses')
  @RequirePermission('clients:read')
  @ApiOkResponse({
    type: EpisodeDiagnosesView,
    description: 'The current diagnoses and every revision; audited',
  })
  read(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) id: string,
  ): Promise<EpisodeDiagnosesView> {
    return this.readDiagnoses.execute(actor, id);
  }
}
