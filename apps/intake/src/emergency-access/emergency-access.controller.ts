import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { EmergencyAccessView, RequestEmergencyAccessDto } from './emergency-access.dto';
import { GrantEmergencyAccess } from './grant-emergency-access';

@ApiTags('emergency access')
@Controller('clients/:clientId/emergency-access')
export class EmergencyAccessController {
  constructor(private readonly grantAccess: GrantEmergencyAccess) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      "Break-glass: time-boxed read access to one client's record outside the caller's sites; audited, and the site's supervisors and auditors alerted",
  })
  @ApiCreatedResponse({ type: EmergencyAccessView })
  @RequirePermission('emergency-access:use')
  grant(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Body() body: RequestEmergencyAccessDto,
  ): Promise<EmergencyAccessView> {
    return this.grantAccess.execute(actor, clientId, body);
  }
}
