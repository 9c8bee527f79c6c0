import { Logger } from '@nestjs/common';
import { StaffRole } from '@stepwise/contracts';
import { type UnitOfWork } from '@stepwise/messaging';
import { type Clock } from '@stepwise/platform';
import { type EntityManager } from 'typeorm';
import { type AlertsRepository, type OverdueAlert } from './alerts.repository';

/** An escalation goes out on the other channel than the alert that was not acknowledged. */
const SECOND_CHANNEL = { email: 'sms', sms: 'email' } as const;

/**
 * Urgent alerts not acknowledged in time go to the site's clinical supervisor(s) (not the alert's own
 * recipient) on the other channel, at once and through quiet hours. Each alert escalates once; one no
 * supervisor can receive is logged as `escalation-failed` and warned about, not retried.
 */
export class EscalateAlerts {
  // The sending pass runs it: its warnings keep the dispatcher's logger name, which operations search by.
  private readonly logger = new Logger('NotificationDispatcher');

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly alerts: AlertsRepository,
  ) {}

  async escalateOverdue(): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const now = this.clock.now();
      const overdue = await this.alerts.claimOverdue(tx.manager, now);
      for (const alert of overdue) await this.escalate(tx.manager, alert, now);
    });
  }

  private async escalate(manager: EntityManager, alert: OverdueAlert, now: Date): Promise<void> {
    const supervisors = await this.alerts.staffWithRole(
      manager,
      StaffRole.ClinicalSupervisor,
      alert.site_id,
      alert.recipient_id,
    );
    if (supervisors.length === 0) {
      await this.alerts.logEscalation(manager, alert.id, 'escalation-failed', {
        reason: 'no-supervisor',
        at: now,
      });
      this.logger.warn(`Alert ${alert.id} cannot be escalated: no clinical supervisor at its site`);
      return;
    }
    const channel = SECOND_CHANNEL[alert.channel === 'sms' ? 'sms' : 'email'];
    for (const supervisorId of supervisors) {
      await this.alerts.queue(
        manager,
        {
          dedupeKey: `escalation:${alert.id}:${supervisorId}`,
          kind: 'escalation',
          triggerEventId: alert.trigger_event_id,
          recipientId: supervisorId,
          recipientKind: 'staff',
          ...(alert.client_id === null ? {} : { clientId: alert.client_id }),
          ...(alert.site_id === null ? {} : { siteId: alert.site_id }),
          channel,
          templateCode: 'clinical-alert-escalation',
          params: { reference: alert.id },
          urgent: true,
          dueAt: now,
        },
        now,
      );
    }
    await this.alerts.logEscalation(manager, alert.id, 'escalated', {
      reason: 'not-acknowledged',
      channel,
      at: now,
    });
  }
}
