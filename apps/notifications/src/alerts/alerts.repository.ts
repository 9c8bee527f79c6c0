import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { T, logStep } from '../delivery/notification-store';

/** An alert that requires acknowledgement, as the acknowledgement needs it. */
export interface AlertToAcknowledge {
  readonly site_id: string | null;
  readonly client_id: string | null;
  readonly acknowledged_at: Date | null;
  readonly acknowledged_by: string | null;
}

/** Alerts as staff acknowledge them (rows of the notification table): the acknowledgement's SQL. */
@Injectable()
export class AlertsRepository {
  /** The alert awaiting acknowledgement (kind `alert`, requiring it), locked until the transaction ends. */
  async lockForAcknowledgement(
    manager: EntityManager,
    alertId: string,
  ): Promise<AlertToAcknowledge | undefined> {
    const [alert] = await manager.query<AlertToAcknowledge[]>(
      `SELECT site_id, client_id, acknowledged_at, acknowledged_by FROM ${T('notifications')}
        WHERE id = $1 AND kind = 'alert' AND requires_ack FOR UPDATE`,
      [alertId],
    );
    return alert;
  }

  /** Records the acknowledgement, and its step in the alert's delivery log; the escalation then skips it. */
  async acknowledge(manager: EntityManager, alertId: string, by: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE ${T('notifications')} SET acknowledged_at = $2, acknowledged_by = $3, updated_at = $2 WHERE id = $1`,
      [alertId, at, by],
    );
    await logStep(manager, alertId, 'acknowledged', { at });
  }
}
