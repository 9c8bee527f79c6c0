import { randomUUID } from 'node:crypto';
import { ManualClock } from '@stepwise/platform';
import { ProblemException } from '@stepwise/security';
import { RecordingAuditTrail, siteScope, staffActor } from '../testing/fake-security';
import { FakeDataSource } from '../testing/fake-data-source';
import { InMemoryAlerts } from '../testing/in-memory-alerts';
import { NotificationTable } from '../testing/in-memory-notifications';
import { AcknowledgeAlert } from './acknowledge-alert';

describe('AcknowledgeAlert (a staff member acknowledges an urgent alert)', () => {
  const siteId = randomUUID();
  const clientId = randomUUID();
  const nurse = staffActor(randomUUID(), [siteId]);
  let clock: ManualClock;
  let table: NotificationTable;
  let audit: RecordingAuditTrail;
  let acknowledge: AcknowledgeAlert;
  let alertId: string;

  beforeEach(async () => {
    clock = new ManualClock('2025-10-01T03:00:00Z');
    table = new NotificationTable();
    audit = new RecordingAuditTrail();
    const alerts = new InMemoryAlerts(table);
    acknowledge = new AcknowledgeAlert(new FakeDataSource(), alerts, siteScope(audit), audit, clock);
    alertId =
      (await table.queue(
        {
          dedupeKey: 'alert:1',
          kind: 'alert',
          triggerEventId: randomUUID(),
          recipientId: nurse.principal.id,
          recipientKind: 'staff',
          clientId,
          siteId,
          urgent: true,
          requiresAck: true,
          dueAt: clock.now(),
        },
        clock.now(),
      )) ?? '';
  });

  const problemOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no problem',
      (error: unknown) => (error instanceof ProblemException ? error.code : String(error)),
    );

  it('records the acknowledgement once, audited, and answers a second one with the first', async () => {
    const first = await acknowledge.acknowledge(nurse, alertId);
    clock.advance(60_000);
    const colleague = staffActor(randomUUID(), [siteId]);
    const second = await acknowledge.acknowledge(colleague, alertId);

    expect(first).toEqual({
      alertId,
      acknowledgedAt: '2025-10-01T03:00:00.000Z',
      acknowledgedBy: nurse.principal.id,
    });
    expect(second).toEqual(first);
    expect(table.history(alertId)).toEqual(['queued', 'acknowledged']);
    expect(audit.entries).toEqual([
      {
        action: 'acknowledge',
        resourceType: 'alert',
        resourceId: alertId,
        clientId,
        siteId,
        outcome: 'allowed',
        actorId: nurse.principal.id,
      },
    ]);
  });

  it("answers not-found for another site's alert, auditing the denied attempt", async () => {
    const elsewhere = staffActor(randomUUID(), [randomUUID()]);

    expect(await problemOf(acknowledge.acknowledge(elsewhere, alertId))).toBe('not-found');
    expect(table.byId(alertId)?.acknowledged_at).toBeNull();
    expect(audit.entries.map((e) => [e.actorId, e.outcome])).toEqual([[elsewhere.principal.id, 'denied']]);
  });

  it('answers not-found for an unknown alert, or a notification that needs no acknowledgement', async () => {
    Object.assign(table.byId(alertId) ?? {}, { requires_ack: false });

    expect(await problemOf(acknowledge.acknowledge(nurse, alertId))).toBe('not-found');
    expect(await problemOf(acknowledge.acknowledge(nurse, randomUUID()))).toBe('not-found');
  });
});
