import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type Actor, CurrentActor, Idempotent, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { AcknowledgeAlert } from './acknowledge-alert';

/** Who and when come from the token and the clock; the body says only where the alert was seen. */
export class AcknowledgementDto {
  @ApiPropertyOptional({ enum: ['app', 'email', 'sms'] })
  @IsOptional()
  @IsIn(['app', 'email', 'sms'])
  seenVia?: 'app' | 'email' | 'sms';
}

/** Staff acknowledge urgent alerts; an acknowledged alert is not escalated. */
@ApiTags('alerts')
@Controller('alerts/:alertId/acknowledgements')
export class AlertsController {
  constructor(private readonly acknowledgeAlert: AcknowledgeAlert) {}

  @Post()
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Acknowledges an urgent clinical alert' })
  @RequirePermission('alerts:acknowledge')
  async acknowledge(
    @CurrentActor() actor: Actor,
    @Param('alertId', ParseIdPipe) alertId: string,
    @Body() _body: AcknowledgementDto,
  ): Promise<{ alertId: string; acknowledgedAt: string; acknowledgedBy: string }> {
    return this.acknowledgeAlert.acknowledge(actor, alertId);
  }
}
