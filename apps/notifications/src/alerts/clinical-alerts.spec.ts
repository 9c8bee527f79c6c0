import { RecordingTransaction, RetryLaterError, isTransientError } from '@stepwise/messaging';
import { randomUUID } from 'node:crypto';
import { DrugScreenResult, ScreenInterpretation, StaffRole, UrgentFlag } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { careEvent } from '../testing/care-events';
import { InMemoryAlerts } from '../testing/in-memory-alerts';
import { NotificationTable } from '../testing/in-memory-notifications';
import { RecordingTimers } from '../testing/recording-timers';
import {
  ClinicalAlerts,
  NoAlertRecipientError,
  SHORTFALL_CORRECTED,
  STAFF_ARRIVAL_GRACE_MS,
  StaffNotKnownYetError,
} from './clinical-alerts';

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
    expect(table.rows()[0]?.params).toEqual({ alert: 'engagement-risk', rules: 'clinical-alert-rules@2' });
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

  describe("a site whose staff this service does not know yet (scheduling's topic behind intake's)", () => {
    /** An urgent screening `ageMs` before the clock's now, for a client whose counselor is unknown. */
    const urgentScreening = (ageMs: number) => ({
      ...careEvent('ScreeningCompleted', { clientId, siteId, urgentFlags: [UrgentFlag.SelfHarmRisk] }),
      time: new Date(clock.now().getTime() - ageMs).toISOString(),
    });

    it('holds the alert, its event retried uncounted, and alerts the supervisor once the staff arrive', async () => {
      const event = urgentScreening(60_000);

      const held = await raise.raise(event, tx).catch((error: unknown) => error);
      expect(held).toBeInstanceOf(StaffNotKnownYetError);
      // What the consumer waits out like an outage, instead of counting it towards the dead-letter topic.
      expect(held).toBeInstanceOf(RetryLaterError);
      expect(isTransientError(held)).toBe(true);
      expect((held as Error).message).toBe(
        `The urgent-screening-flag alert of event ${event.id} waits for the staff of site ${siteId}, none of whom is known yet`,
      );
      expect(raised()).toEqual([]);

      staff(supervisorA, StaffRole.ClinicalSupervisor);
      await raise.raise(event, tx);
      expect(raised()).toEqual([
        {
          to: supervisorA,
          template: 'clinical-alert-urgent',
          alert: 'urgent-screening-flag',
          urgent: true,
          requiresAck: true,
        },
      ]);
    });

    it('fails the event (to be dead-lettered) once the alert has waited the grace period', async () => {
      const event = urgentScreening(STAFF_ARRIVAL_GRACE_MS);

      const failed = await raise.raise(event, tx).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(NoAlertRecipientError);
      expect(isTransientError(failed)).toBe(false);
    });

    it('waits for a break-glass alert the same way', async () => {
      const event = {
        ...careEvent('EmergencyAccessGranted', { clientId, siteId }),
        time: clock.now().toISOString(),
      };
      await expect(raise.emergencyAccess(event, tx)).rejects.toBeInstanceOf(StaffNotKnownYetError);
    });
  });

  it('alerts a possible MAT diversion, and not a positive only for the prescribed MAT medication', async () => {
    alerts.counselors.set(clientId, counselor);
    await raise.raise(
      careEvent('DrugScreenResulted', {
        clientId,
        siteId,
        result: DrugScreenResult.Positive,
        interpretation: ScreenInterpretation.ExpectedMedication,
      }),
      tx,
    );
    expect(raised()).toEqual([]);
    await raise.raise(careEvent('PossibleMedicationDiversion', { clientId, siteId }), tx);
    await raise.raise(
      careEvent('DrugScreenResulted', {
        clientId,
        siteId,
        result: DrugScreenResult.Positive,
        interpretation: ScreenInterpretation.Use,
      }),
      tx,
    );
    expect(raised().map((r) => [r.to, r.alert])).toEqual([
      [counselor, 'possible-medication-diversion'],
      [counselor, 'positive-drug-screen'],
    ]);
  });

  describe('late documentation of a closed week', () => {
    const episodeId = randomUUID();
    const week = { clientId, siteId, episodeId, weekStart: '2025-03-03' };
    const shortfall = () => careEvent('WeeklyHoursShortfall', { ...week, attendedMinutes: 180 });
    const corrected = (attendedMinutes: number, shortBefore: boolean, short: boolean) =>
      careEvent('WeeklyHoursRecalculated', {
        ...week,
        attendedMinutesBefore: 180,
        attendedMinutes,
        requiredMinutes: 540,
        shortBefore,
        short,
      });
    const log = (id: string | undefined) =>
      table.log.filter((step) => step.id === id).map((step) => [step.status, step.reason]);

    beforeEach(() => alerts.counselors.set(clientId, counselor));

    it('never sends a queued (or held) shortfall alert that a correction resolved, and logs why', async () => {
      await raise.raise(shortfall(), tx);
      await raise.weekRecalculated(corrected(540, true, false), tx);

      const [alert] = table.rows();
      expect(alert).toMatchObject({ status: 'cancelled', reason: SHORTFALL_CORRECTED });
      expect(log(alert?.id)).toEqual([
        ['queued', null],
        ['cancelled', SHORTFALL_CORRECTED],
      ]);
    });

    it('marks a shortfall alert already sent as withdrawn in its delivery log, once', async () => {
      await raise.raise(shortfall(), tx);
      const [alert] = table.rows();
      Object.assign(alert ?? {}, { status: 'sent' });
      await raise.weekRecalculated(corrected(540, true, false), tx);
      await raise.weekRecalculated(corrected(540, true, false), tx);

      expect(alert).toMatchObject({ status: 'sent', withdrawn_at: clock.now() });
      expect(log(alert?.id)).toEqual([
        ['queued', null],
        ['withdrawn', SHORTFALL_CORRECTED],
      ]);
    });

    it('keeps the alert when the correction leaves the week short, and alerts a week a correction made short', async () => {
      await raise.raise(shortfall(), tx);
      await raise.weekRecalculated(corrected(360, true, true), tx);
      expect(table.rows().map((r) => r.status)).toEqual(['queued']);

      await raise.weekRecalculated(
        careEvent('WeeklyHoursRecalculated', {
          ...week,
          weekStart: '2025-03-10',
          attendedMinutesBefore: 540,
          attendedMinutes: 360,
          requiredMinutes: 540,
          shortBefore: false,
          short: true,
        }),
        tx,
      );
      expect(raised().map((r) => r.alert)).toEqual(['weekly-hours-shortfall', 'weekly-hours-shortfall']);
      expect(table.rows()[1]?.subject_key).toBe(`weekly-hours:${episodeId}:2025-03-10`);
    });
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
    staff(randomUUID(), StaffRole.Counselor);
    await expect(
      raise.emergencyAccess(careEvent('EmergencyAccessGranted', { clientId, siteId }), tx),
    ).rejects.toBeInstanceOf(NoAlertRecipientError);
  });

  it("alerts the site's billing staff, not the counselor, when an authorization runs low or nears its end", async () => {
    const billing = randomUUID();
    alerts.counselors.set(clientId, counselor);
    staff(billing, StaffRole.Billing);
    staff(director, StaffRole.ProgramDirector);
    await raise.authorizationRunningOut(careEvent('AuthorizationUnitsLow', { clientId, siteId }), tx);
    await raise.authorizationRunningOut(careEvent('AuthorizationExpiring', { clientId, siteId }), tx);

    expect(raised()).toEqual([
      {
        to: billing,
        template: 'authorization-alert',
        alert: 'authorization-units-low',
        urgent: false,
        requiresAck: false,
      },
      {
        to: billing,
        template: 'authorization-alert',
        alert: 'authorization-expiring',
        urgent: false,
        requiresAck: false,
      },
    ]);
    expect(table.rows()[0]?.params).toEqual({
      alert: 'authorization-units-low',
      rules: 'illustrative-billing@1',
    });
  });

  it('alerts the program directors of a site without billing staff, and never drops the alert', async () => {
    staff(director, StaffRole.ProgramDirector);
    await raise.authorizationRunningOut(careEvent('AuthorizationExpiring', { clientId, siteId }), tx);
    expect(raised().map((r) => r.to)).toEqual([director]);

    table = new NotificationTable();
    alerts = new InMemoryAlerts(table);
    raise = new ClinicalAlerts(clock, timers, alerts);
    await expect(
      raise.authorizationRunningOut(careEvent('AuthorizationUnitsLow', { clientId, siteId }), tx),
    ).rejects.toBeInstanceOf(NoAlertRecipientError);
  });
});

describe('ClinicalAlerts after a site transfer (alerts follow the client)', () => {
  const [oldSite, newSite] = [randomUUID(), randomUUID()];
  const clientId = randomUUID();
  const episodeId = randomUUID();
  const [counselor, supervisorOld, supervisorNew] = [randomUUID(), randomUUID(), randomUUID()];
  const clock = new ManualClock('2025-10-01T15:00:00Z');
  const tx = new RecordingTransaction();
  let table: NotificationTable;
  let alerts: InMemoryAlerts;
  let clinical: ClinicalAlerts;

  beforeEach(() => {
    table = new NotificationTable();
    alerts = new InMemoryAlerts(table);
    clinical = new ClinicalAlerts(clock, new RecordingTimers(), alerts);
    alerts.counselors.set(clientId, counselor);
    alerts.staff.push(
      { staffId: counselor, roles: [StaffRole.Counselor], siteIds: [oldSite], active: true },
      { staffId: supervisorOld, roles: [StaffRole.ClinicalSupervisor], siteIds: [oldSite], active: true },
      { staffId: supervisorNew, roles: [StaffRole.ClinicalSupervisor], siteIds: [newSite], active: true },
    );
  });
  const transfer = () =>
    careEvent('ClientTransferred', { clientId, episodeId, fromSiteId: oldSite, siteId: newSite });
  const risk = () => careEvent('EngagementRiskDetected', { clientId, episodeId, siteId: oldSite });

  it('re-addresses an alert not yet sent to the new site, and cancels the old one with the reason logged', async () => {
    await clinical.raise(risk(), tx);
    alerts.episodes.set(clientId, { siteId: newSite, transferred: true });
    await clinical.transferred(transfer(), tx);

    const rows = table.rows().map((r) => [r.recipient_id, r.site_id, r.status, r.reason]);
    expect(rows).toEqual([
      [counselor, oldSite, 'cancelled', 'client-transferred'],
      [supervisorNew, newSite, 'queued', null],
    ]);
    // The same alert, under the same triggering fact.
    expect(new Set(table.rows().map((r) => r.trigger_event_id)).size).toBe(1);
  });

  it("alerts the new site's staff for a fact that still names the old site; the counselor only if active there", async () => {
    alerts.episodes.set(clientId, { siteId: newSite, transferred: true });
    await clinical.raise(risk(), tx);
    expect(table.rows().map((r) => [r.recipient_id, r.site_id])).toEqual([[supervisorNew, newSite]]);

    const counselorAtBoth = alerts.staff.find((s) => s.staffId === counselor);
    Object.assign(counselorAtBoth ?? {}, { siteIds: [oldSite, newSite] });
    await clinical.raise(risk(), tx);
    expect(table.rows().at(-1)?.recipient_id).toBe(counselor);
  });

  it('leaves sent alerts and break-glass alerts of the old site alone', async () => {
    await clinical.raise(risk(), tx);
    Object.assign(table.rows()[0] ?? {}, { status: 'sent' });
    await clinical.emergencyAccess(careEvent('EmergencyAccessGranted', { clientId, siteId: oldSite }), tx);
    const before = table.rows().map((r) => [r.recipient_id, r.status]);
    alerts.episodes.set(clientId, { siteId: newSite, transferred: true });
    await clinical.transferred(transfer(), tx);
    expect(table.rows().map((r) => [r.recipient_id, r.status])).toEqual(before);
  });
});
