import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { OccurrenceAttendanceView, RecordAttendanceDto } from './attendance.dto';
import { ReadRoster } from './read-roster';
import { RecordAttendance } from './record-attendance';

@ApiTags('attendance')
@Controller('occurrences/:occurrenceId/attendance')
export class AttendanceController {
  constructor(
    private readonly attendance: RecordAttendance,
    private readonly rosters: ReadRoster,
  ) {}

  @Put()
  @RequirePermission('attendance:write')
  @ApiOkResponse({
    type: OccurrenceAttendanceView,
    description:
      'Records the whole group at once; publishes SessionAttended or SessionMissed per new or changed record ' +
      '(revision + 1 on a correction, nothing on a resubmission). 409 attendance-locked once a note is signed',
  })
  record(
    @CurrentActor() actor: Actor,
    @Param('occurrenceId', ParseIdPipe) occurrenceId: string,
    @Body() body: RecordAttendanceDto,
  ): Promise<OccurrenceAttendanceView> {
    return this.attendance.record(actor, occurrenceId, body.entries);
  }

  @Get()
  @RequirePermission('attendance:read')
  @ApiOkResponse({ type: OccurrenceAttendanceView })
  read(
    @CurrentActor() actor: Actor,
    @Param('occurrenceId', ParseIdPipe) occurrenceId: string,
  ): Promise<OccurrenceAttendanceView> {
    return this.rosters.roster(actor, occurrenceId);
  }
}
