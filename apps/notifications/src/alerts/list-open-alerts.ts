import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@stepwise/contracts';
import { Clock } from '@stepwise/platform';
import {
  type Actor,
  AuditTrail,
  Page,
  ProblemException,
  decodeCursor,
  encodeCursor,
  pageLimit,
} from '@stepwise/security';
import { DataSource } from 'typeorm';
import { T } from '../delivery/notification-store';
import { type ClientAlertsView, type OpenAlertsQuery } from './open-alerts.dto';

/** How far back an alert that needs no acknowledgement still counts as open, unless the caller says. */
const RECENT_DAYS = 7;

interface OpenAlertRow {
  client_id: string;
  alert_id: string;
  alert: string;
  urgent: boolean;
  awaiting: boolean;
  raised_at: Date;
}

/**
 * The open clinical alerts of a site's clients, grouped by client (a page of clients in id order). One alert
 * is one triggering fact, whichever staff received it. Each client listed is audited: an alert says something
 * clinical about them.
 */
@Injectable()
export class ListOpenAlerts {
  constructor(
    @Inject(DataSource) private readonly dataSource: Pick<DataSource, 'transaction'>,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  list(actor: Actor, siteId: string, query: OpenAlertsQuery): Promise<Page<ClientAlertsView>> {
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? null : String(decodeCursor(query.cursor, 1)[0]);
    if (after !== null && !isUuid(after)) throw new ProblemException('invalid-cursor');
    const since =
      query.since ?? new Date(this.clock.now().getTime() - RECENT_DAYS * 86_400_000).toISOString();
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<OpenAlertRow[]>(
        `WITH open AS (
           SELECT client_id, trigger_event_id,
                  (array_agg(id ORDER BY (recipient_id = $5::uuid) DESC NULLS LAST, id))[1] AS alert_id,
                  coalesce(max(params->>'alert'), max(template_code)) AS alert, bool_or(urgent) AS urgent,
                  bool_or(requires_ack) AND NOT bool_or(acknowledged_at IS NOT NULL) AS awaiting,
                  min(created_at) AS raised_at
             FROM ${T('notifications')}
            WHERE kind = 'alert' AND site_id = $1 AND client_id IS NOT NULL AND withdrawn_at IS NULL
              AND status <> 'cancelled' AND ($3::uuid IS NULL OR client_id > $3::uuid)
            GROUP BY client_id, trigger_event_id
           HAVING (bool_or(requires_ack) AND NOT bool_or(acknowledged_at IS NOT NULL))
               OR min(created_at) >= $2::timestamptz),
         page AS (SELECT DISTINCT client_id FROM open ORDER BY client_id LIMIT $4)
         SELECT open.client_id, open.alert_id, open.alert, open.urgent, open.awaiting, open.raised_at
           FROM open JOIN page USING (client_id) ORDER BY open.client_id, open.raised_at, open.alert_id`,
        [siteId, since, after, limit + 1, isUuid(actor.principal.id) ? actor.principal.id : null],
      );
      const byClient = new Map<string, ClientAlertsView>();
      for (const row of rows) {
        const client = byClient.get(row.client_id) ?? { clientId: row.client_id, alerts: [] };
        client.alerts.push({
          alertId: row.alert_id,
          alert: row.alert,
          urgent: row.urgent,
          awaitingAcknowledgement: row.awaiting,
          raisedAt: row.raised_at.toISOString(),
        });
        byClient.set(row.client_id, client);
      }
      const clients = [...byClient.values()];
      const items = clients.slice(0, limit);
      await this.audit.recordShown(
        actor,
        { action: 'list', resourceType: 'alert' },
        items.map((c) => ({ id: c.clientId, clientId: c.clientId, siteId })),
        manager,
      );
      const last = items.at(-1);
      return new Page(
        items,
        clients.length > limit && last !== undefined ? encodeCursor([last.clientId]) : null,
      );
    });
  }
}
