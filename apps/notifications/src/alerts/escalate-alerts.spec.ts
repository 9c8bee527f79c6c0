import { RecordingUnitOfWork } from '@stepwise/messaging';
import { randomUUID } from 'node:crypto';
import { StaffRole } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { InMemoryAlerts } from '../testing/in-memory-alerts';
import { NotificationTable } from '../testing/in-memory-notifications';
import { EscalateAlerts } from './escalate-alerts';

describe('EscalateAlerts (escalates unacknowledged urgent alerts)', () => {
  const siteId = randomUUID();
  const clientId = randomUUID();
  const counselor = randomUUID();
  const supervisor = randomUUID();
  let clock: ManualClock;
  let table: NotificationTable;
  let alerts: InMemoryAlerts;
  let escalate: EscalateAlerts;

  beforeEach(() => {
    clock = new ManualClock('2025-10-01T03:00:00Z');
    table = new NotificationTable();
    alerts = new InMemoryAlerts(table);
    escalate = new EscalateAlerts(new RecordingUnitOfWork(), clock, alerts);
    for (const [staffId, role] of [
      [counselor, StaffRole.ClinicalSupervisor], // the alert's own recipient is never its escalation's
      [supervisor, StaffRole.ClinicalSupervisor],
    ] as const)
      alerts.staff.push({ staffId, roles: [role], siteIds: [siteId], active: true });
  });

  /** An urgent alert sent on `channel`, escalating at `escalateAt`. */
  async function urgentAlert(channel: 'email' | 'sms', escalateAt: string): Promise<string> {
    const id =
      (await table.queue(
        {
          dedupeKey: `alert:${randomUUID()}`,
          kind: 'alert',
          triggerEventId: randomUUID(),
          recipientId: counselor,
          recipientKind: 'staff',
          clientId,
          siteId,
          channel,
          urgent: true,
          requiresAck: true,
          dueAt: clock.now(),
        },
        clock.now(),
      )) ?? '';
    Object.assign(table.byId(id) ?? {}, { status: 'sent', escalate_at: new Date(escalateAt) });
    return id;
  }
  const escalations = () =>
    table
      .rows()
      .filter((r) => r.kind === 'escalation')
      .map((r) => ({
        to: r.recipient_id,
        channel: r.channel,
        template: r.template_code,
        urgent: r.urgent,
        reference: r.params['reference'],
      }));

  it('sends an overdue alert to the clinical supervisors on the other channel, once', async () => {
    const alertId = await urgentAlert('email', '2025-10-01T03:01:00Z');
    await escalate.escalateOverdue();
    expect(escalations()).toEqual([]); // not due yet

    clock.advance(61_000);
    await escalate.escalateOverdue();
    await escalate.escalateOverdue();

    expect(escalations()).toEqual([
      {
        to: supervisor,
        channel: 'sms',
        template: 'clinical-alert-escalation',
        urgent: true,
        reference: alertId,
      },
    ]);
    expect(table.log.filter((s) => s.id === alertId).at(-1)).toEqual({
      id: alertId,
      status: 'escalated',
      reason: 'not-acknowledged',
      channel: 'sms',
    });
  });

  it('escalates an alert sent by SMS by email', async () => {
    await urgentAlert('sms', '2025-10-01T03:00:00Z');
    await escalate.escalateOverdue();

    expect(escalations().map((e) => e.channel)).toEqual(['email']);
  });

  it('does not escalate an acknowledged alert', async () => {
    const alertId = await urgentAlert('email', '2025-10-01T03:00:00Z');
    await alerts.acknowledge(undefined, alertId, counselor, clock.now());
    await escalate.escalateOverdue();

    expect(escalations()).toEqual([]);
  });

  it('logs the escalation as failed when the site has no other clinical supervisor', async () => {
    alerts.staff.splice(1, 1);
    const alertId = await urgentAlert('email', '2025-10-01T03:00:00Z');
    await escalate.escalateOverdue();

    expect(escalations()).toEqual([]);
    expect(table.history(alertId)).toEqual(['queued', 'escalation-failed']);
    expect(table.log.at(-1)?.reason).toBe('no-supervisor');
  });
});
