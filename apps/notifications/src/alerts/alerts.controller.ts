import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  type Actor,
  AuditTrail,
  CurrentActor,
  Idempotent,
  ParseIdPipe,
  ProblemException,
  RequirePermission,
  SiteScope,
} from '@stepwise/security';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { T, logStep } from '../delivery/notification-store';

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
  constructor(
    private readonly dataSource: DataSource,
    private readonly siteScope: SiteScope,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

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
    return this.dataSource.transaction(async (manager) => {
      const [alert] = await manager.query<
        {
          site_id: string | null;
          client_id: string | null;
          acknowledged_at: Date | null;
          acknowledged_by: string | null;
        }[]
      >(
        `SELECT site_id, client_id, acknowledged_at, acknowledged_by FROM ${T('notifications')}
          WHERE id = $1 AND kind = 'alert' AND requires_ack FOR UPDATE`,
        [alertId],
      );
      if (alert === undefined) throw new ProblemException('not-found', { detail: 'No such alert' });
      const attempt = {
        action: 'acknowledge',
        resourceType: 'alert',
        resourceId: alertId,
        ...(alert.client_id === null ? {} : { clientId: alert.client_id }),
      };
      await this.siteScope.assertRecord(actor, { siteId: alert.site_id ?? '', networkId: null }, attempt);
      if (alert.acknowledged_at !== null)
        return {
          alertId,
          acknowledgedAt: alert.acknowledged_at.toISOString(),
          acknowledgedBy: alert.acknowledged_by ?? '',
        };
      const now = this.clock.now();
      await manager.query(
        `UPDATE ${T('notifications')} SET acknowledged_at = $2, acknowledged_by = $3, updated_at = $2 WHERE id = $1`,
        [alertId, now, actor.principal.id],
      );
      await logStep(manager, alertId, 'acknowledged', { at: now });
      await this.audit.record(
        actor,
        { ...attempt, siteId: alert.site_id ?? undefined, outcome: 'allowed' },
        manager,
      );
      return { alertId, acknowledgedAt: now.toISOString(), acknowledgedBy: actor.principal.id };
    });
  }
}
