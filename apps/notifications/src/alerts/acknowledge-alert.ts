import { Inject, Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, ProblemException, SiteScope } from '@stepwise/security';
import { Clock } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { AlertsRepository } from './alerts.repository';

export interface Acknowledgement {
  readonly alertId: string;
  readonly acknowledgedAt: string;
  readonly acknowledgedBy: string;
}

/**
 * A staff member acknowledges an urgent alert of their site (another site's is 404). Once only: acknowledging
 * again answers the first acknowledgement. The alert stays locked from the check to the write, and the audit
 * entry commits with the acknowledgement.
 */
@Injectable()
export class AcknowledgeAlert {
  constructor(
    // Only its transactions: a unit test runs the use case without a database.
    @Inject(DataSource) private readonly dataSource: Pick<DataSource, 'transaction'>,
    private readonly alerts: AlertsRepository,
    private readonly siteScope: SiteScope,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  acknowledge(actor: Actor, alertId: string): Promise<Acknowledgement> {
    return this.dataSource.transaction(async (manager) => {
      const alert = await this.alerts.lockForAcknowledgement(manager, alertId);
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
      await this.alerts.acknowledge(manager, alertId, actor.principal.id, now);
      await this.audit.record(
        actor,
        { ...attempt, siteId: alert.site_id ?? undefined, outcome: 'allowed' },
        manager,
      );
      return { alertId, acknowledgedAt: now.toISOString(), acknowledgedBy: actor.principal.id };
    });
  }
}
