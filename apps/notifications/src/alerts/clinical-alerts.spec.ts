import { RecordingTransaction } from '@stepwise/messaging';
import { randomUUID } from 'node:crypto';
import { DrugScreenResult, StaffRole, UrgentFlag } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { careEvent } from '../testing/care-events';
import { InMemoryAlerts } from '../testing/in-memory-alerts';
import { NotificationTable } from '../testing/in-memory-notifications';
import { RecordingTimers } from '../testing/recording-timers';
import { ClinicalAlerts, NoAlertRecipientError } from './clinical-alerts';

describe('ClinicalAlerts (raises a clinical alert)', () => {
  const siteId = randomUUID();
  const clientId = randomUUID();
  const counselor = randomUUID();
  const [supervisorB, supervisorA, director] = [randomUUID(), randomUUID(), randomUUID()];
  const clock = new ManualClock('2025-10-01T03:00:00Z');
  let table: NotificationTable;
  let alerts: InMemoryAlerts;
  let timers: RecordingTimers;
  let raise: ClinicalAlerts;
  const tx = new RecordingTransaction();

  beforeEach(() => {
    table = new NotificationTable();
    alerts = new InMemoryAlerts(table);
    timers = new RecordingTimers();
    raise = new ClinicalAlerts(clock, timers, alerts);
  });

  const staff = (staffId: string, role: StaffRole, active = true) =>
    alerts.staff.push({ staffId, roles: [role], siteIds: [siteId], active });
  const raised = () =>
    table.rows().map((r) => ({
      to: r.recipient_id,
      template: r.template_code,
      alert: r.params['alert'],
      urgent: r.urgent,
      requiresAck: r.requires_ack,
    }));

  it("alerts the client's primary counselor, sent at once and pointing to Stepwise by reference only", async () => {
    alerts.counselors.set(clientId, counselor);
    staff(supervisorA, StaffRole.ClinicalSupervisor);
    const event = careEvent('EngagementRiskDetected', { clientId, siteId });
    await raise.raise(event, tx);

    expect(raised()).toEqual([
      {
        to: counselor,
        template: 'clinical-alert',
        alert: 'engagement-risk',
        urgent: false,
        requiresAck: false,
      },
    ]);
    expect(table.rows()[0]?.params).toEqual({ alert: 'engagement-risk', rules: 'clinical-alert-rules@1' });
    expect(timers.set).toEqual([{ id: table.rows()[0]?.id, dueAt: clock.now().toISOString() }]);
  });

  it('raises an urgent screening flag as an urgent alert that must be acknowledged', async () => {
    alerts.counselors.set(clientId, counselor);
    await raise.raise(
      careEvent('ScreeningCompleted', { clientId, siteId, urgentFlags: [UrgentFlag.SelfHarmRisk] }),
      tx,
    );

    expect(raised()).toEqual([
      {
        to: counselor,
        template: 'clinical-alert-urgent',
        alert: 'urgent-screening-flag',
        urgent: true,
        requiresAck: true,
      },
    ]);
  });

  it('alerts nobody for a negative drug screen or a screening without urgent flags', async () => {
    alerts.counselors.set(clientId, counselor);
    await raise.raise(
      careEvent('DrugScreenResulted', { clientId, siteId, result: DrugScreenResult.Negative }),
      tx,
    );
    await raise.raise(careEvent('ScreeningCompleted', { clientId, siteId, urgentFlags: [] }), tx);

    expect(raised()).toEqual([]);
  });

  it("without a known counselor, alerts the site's active clinical supervisors, else its program directors", async () => {
    staff(supervisorB, StaffRole.ClinicalSupervisor);
    staff(supervisorA, StaffRole.ClinicalSupervisor);
    staff(randomUUID(), StaffRole.ClinicalSupervisor, false);
    staff(director, StaffRole.ProgramDirector);
    await raise.raise(
      careEvent('DrugScreenResulted', { clientId, siteId, result: DrugScreenResult.Positive }),
      tx,
    );

    expect(raised().map((r) => r.to)).toEqual([supervisorA, supervisorB].sort());

    alerts.staff.splice(0, 3);
    await raise.raise(careEvent('WeeklyHoursShortfall', { clientId, siteId }), tx);
    expect(raised().slice(2)).toEqual([
      {
        to: director,
        template: 'clinical-alert',
        alert: 'weekly-hours-shortfall',
        urgent: false,
        requiresAck: false,
      },
    ]);
  });

  it('alerts each recipient once when the event is redelivered', async () => {
    alerts.counselors.set(clientId, counselor);
    const event = careEvent('StepUpRecommended', { clientId, siteId });
    await raise.raise(event, tx);
    await raise.raise(event, tx);

    expect(raised()).toHaveLength(1);
    expect(timers.set).toHaveLength(1);
  });

  it('refuses to drop an alert no one at the site can receive', async () => {
    staff(randomUUID(), StaffRole.Counselor);
    const event = careEvent('StepDownRecommended', { clientId, siteId });

    await expect(raise.raise(event, tx)).rejects.toThrow(NoAlertRecipientError);
    await expect(raise.raise(event, tx)).rejects.toThrow(
      `No staff can receive the step-down-recommended alert of event ${event.id}`,
    );
    expect(raised()).toEqual([]);
  });

  it("alerts the site's clinical supervisors and auditors at once when break-glass is used, by reference only", async () => {
    const auditor = randomUUID();
    alerts.counselors.set(clientId, counselor); // the counselor is not who reviews an emergency access
    staff(supervisorA, StaffRole.ClinicalSupervisor);
    staff(auditor, StaffRole.Auditor);
    staff(director, StaffRole.ProgramDirector);
    await raise.emergencyAccess(careEvent('EmergencyAccessGranted', { clientId, siteId }), tx);

    expect(
      raised()
        .map((r) => r.to)
        .sort(),
    ).toEqual([supervisorA, auditor].sort());
    expect(raised().every((r) => r.template === 'emergency-access-alert' && r.urgent && !r.requiresAck)).toBe(
      true,
    );
    expect(table.rows()[0]?.params).toEqual({ alert: 'emergency-access', reasonCode: 'medical-emergency' });
  });

  it('never drops a break-glass alert no one at the site can receive: the event fails', async () => {
    await expect(
      raise.emergencyAccess(careEvent('EmergencyAccessGranted', { clientId, siteId }), tx),
    ).rejects.toBeInstanceOf(NoAlertRecipientError);
  });
});
