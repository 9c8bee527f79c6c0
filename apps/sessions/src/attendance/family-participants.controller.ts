import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { FamilyParticipantsView, RecordFamilyParticipantsDto } from './family-participants.dto';
import { RecordFamilyParticipants } from './record-family-participants';

@ApiTags('attendance')
@Controller('appointments/:appointmentId/family-participants')
export class FamilyParticipantsController {
  constructor(private readonly family: RecordFamilyParticipants) {}

  @Put()
  @RequirePermission('attendance:write')
  @ApiOkResponse({
    type: FamilyParticipantsView,
    description:
      'Consented family members present or absent at a family session (the whole list); publishes ' +
      "FamilyParticipationRecorded. Never counted in the client's hours. 422 without a current consent",
  })
  record(
    @CurrentActor() actor: Actor,
    @Param('appointmentId', ParseIdPipe) appointmentId: string,
    @Body() body: RecordFamilyParticipantsDto,
  ): Promise<FamilyParticipantsView> {
    return this.family.record(actor, appointmentId.toLowerCase(), body.participants);
  }

  @Get()
  @RequirePermission('attendance:read')
  @ApiOkResponse({ type: FamilyParticipantsView })
  read(
    @CurrentActor() actor: Actor,
    @Param('appointmentId', ParseIdPipe) appointmentId: string,
  ): Promise<FamilyParticipantsView> {
    return this.family.read(actor, appointmentId.toLowerCase());
  }
}
