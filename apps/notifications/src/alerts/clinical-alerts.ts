import { Injectable } from '@nestjs/common';
import { type CareEvent, DrugScreenResult, ScreenInterpretation, StaffRole } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type NewNotification } from '../delivery/notification-store';
import { NotificationTimers } from '../timers/notification-timers';
import { AlertsRepository } from './alerts.repository';

export type AlertingEvent =
  | 'EngagementRiskDetected'
  | 'DrugScreenResulted'
  | 'StepDownRecommended'
  | 'StepUpRecommended'
  | 'WeeklyHoursShortfall'
  | 'WeeklyHoursRecalculated'
  | 'PossibleMedicationDiversion'
  | 'ScreeningCompleted';

interface AlertRule {
  readonly alert: string;
  /** Urgent alerts go out at once, through quiet hours and opt-outs, and must be acknowledged. */
  readonly urgent: boolean;
  readonly applies: (event: CareEvent<AlertingEvent>) => boolean;
}

/** Which facts alert the client's counselor, as versioned data. */
export const ALERT_RULES: {
  readonly id: string;
  readonly rules: Readonly<Record<AlertingEvent, AlertRule>>;
} = {
  // @2: a late correction that makes a closed week short alerts as a shortfall does (WeeklyHoursRecalculated);
  // a screen missing a prescribed MAT medication alerts (possible diversion); an expected MAT positive does not.
  id: 'clinical-alert-rules@2',
  rules: {
    EngagementRiskDetected: { alert: 'engagement-risk', urgent: false, applies: () => true },
    DrugScreenResulted: {
      alert: 'positive-drug-screen',
      urgent: false,
      // A positive only for the client's prescribed MAT medication is not use (sessions' screen policy).
      applies: (event) => {
        const screen = (event as CareEvent<'DrugScreenResulted'>).data;
        return (
          screen.result === DrugScreenResult.Positive &&
          (screen.interpretation ?? ScreenInterpretation.Use) === ScreenInterpretation.Use
        );
      },
    },
    PossibleMedicationDiversion: {
      alert: 'possible-medication-diversion',
      urgent: false,
      applies: () => true,
    },
    StepDownRecommended: { alert: 'step-down-recommended', urgent: false, applies: () => true },
    StepUpRecommended: { alert: 'step-up-recommended', urgent: false, applies: () => true },
    WeeklyHoursShortfall: { alert: 'weekly-hours-shortfall', urgent: false, applies: () => true },
    WeeklyHoursRecalculated: {
      alert: 'weekly-hours-shortfall',
      urgent: false,
      applies: (event) => {
        const week = (event as CareEvent<'WeeklyHoursRecalculated'>).data;
        return week.short && !week.shortBefore;
      },
    },
    ScreeningCompleted: {
      alert: 'urgent-screening-flag',
      urgent: true,
      applies: (event) => (event as CareEvent<'ScreeningCompleted'>).data.urgentFlags.length > 0,
    },
  },
};

/**
 * A clinical alert that no one at the site can receive. Thrown, not logged and dropped: the consumer retries
 * the event and then dead-letters it with this message, where operations sees it and, once the site has a
 * clinical supervisor or program director, replays it (`main.js replay-dead-letters`). Ids only, no PHI.
 */
export class NoAlertRecipientError extends Error {
  constructor(alert: string, eventId: string, siteId: string) {
    super(
      alert === 'emergency-access'
        ? `No staff can receive the ${alert} alert of event ${eventId}: site ${siteId} has no active clinical supervisor or auditor`
        : alert.startsWith('authorization-')
          ? `No staff can receive the ${alert} alert of event ${eventId}: site ${siteId} has no active billing staff or program director`
          : `No staff can receive the ${alert} alert of event ${eventId}: the client has no known primary counselor and site ${siteId} has no active clinical supervisor or program director`,
    );
    this.name = 'NoAlertRecipientError';
  }
}

/** Why a weekly-hours alert was withdrawn (its delivery log says so). */
export const SHORTFALL_CORRECTED = 'shortfall-corrected-by-late-documentation';

/** The subject of an alert a later fact may settle: a week's hours (ids and a date only). */
function subjectOf(event: CareEvent<AlertingEvent>): string | undefined {
  if (event.type !== 'WeeklyHoursShortfall' && event.type !== 'WeeklyHoursRecalculated') return undefined;
  const week = (event as CareEvent<'WeeklyHoursShortfall' | 'WeeklyHoursRecalculated'>).data;
  return `weekly-hours:${week.episodeId}:${week.weekStart}`;
}

/** Who is alerted when the client's counselor is unknown, in order: the first role with anyone at the site. */
const SITE_FALLBACK_ROLES = [StaffRole.ClinicalSupervisor, StaffRole.ProgramDirector] as const;

/**
 * Turns clinical facts into alerts for staff: the client's primary counselor (from ClientAdmitted), or, when
 * none is known (the admission not seen yet, or no counselor assigned), the site's clinical supervisors, else
 * its program directors. An alert is never dropped for want of a recipient (see NoAlertRecipientError). The
 * alert names nothing: it points to Stepwise by reference.
 */
@Injectable()
export class ClinicalAlerts {
  constructor(
    private readonly clock: Clock,
    private readonly timers: NotificationTimers,
    private readonly alerts: AlertsRepository,
  ) {}

  async raise(event: CareEvent<AlertingEvent>, tx: Transaction): Promise<void> {
    const rule = ALERT_RULES.rules[event.type];
    if (!rule.applies(event)) return;
    const { clientId, siteId } = event.data;
    const episodeId = 'episodeId' in event.data ? event.data.episodeId : undefined;
    const recipients = await this.recipients(tx, clientId, siteId, episodeId);
    if (recipients.length === 0) throw new NoAlertRecipientError(rule.alert, event.id, siteId);
    await this.queueAlerts(tx, event.id, recipients, {
      clientId,
      siteId,
      templateCode: rule.urgent ? 'clinical-alert-urgent' : 'clinical-alert',
      params: { alert: rule.alert, rules: ALERT_RULES.id },
      urgent: rule.urgent,
      requiresAck: rule.urgent,
      subjectKey: subjectOf(event),
    });
  }

  /**
   * Break-glass was used on a client of the site: its clinical supervisors and its auditors are told at once
   * (urgent: through quiet hours and opt-outs), each by reference only. Never dropped for want of a recipient.
   */
  async emergencyAccess(event: CareEvent<'EmergencyAccessGranted'>, tx: Transaction): Promise<void> {
    const { clientId, siteId } = event.data;
    const recipients = [
      ...(await this.alerts.staffWithRole(tx.manager, StaffRole.ClinicalSupervisor, siteId)),
      ...(await this.alerts.staffWithRole(tx.manager, StaffRole.Auditor, siteId)),
    ].filter((id, i, all) => all.indexOf(id) === i);
    if (recipients.length === 0) throw new NoAlertRecipientError('emergency-access', event.id, siteId);
    await this.queueAlerts(tx, event.id, recipients, {
      clientId,
      siteId,
      templateCode: 'emergency-access-alert',
      params: { alert: 'emergency-access', reasonCode: event.data.reasonCode },
      urgent: true,
      requiresAck: false,
    });
  }

  /**
   * A payer authorization running out (units at the payer's threshold, or its last day near): the site's billing
   * staff are told, else its program directors; by reference only, once per event. Never dropped for want of a
   * recipient (see NoAlertRecipientError).
   */
  async authorizationRunningOut(
    event: CareEvent<'AuthorizationUnitsLow' | 'AuthorizationExpiring'>,
    tx: Transaction,
  ): Promise<void> {
    const { clientId, siteId } = event.data;
    let recipients: string[] = [];
    for (const role of [StaffRole.Billing, StaffRole.ProgramDirector] as const) {
      recipients = await this.alerts.staffWithRole(tx.manager, role, siteId);
      if (recipients.length > 0) break;
    }
    const alert =
      event.type === 'AuthorizationUnitsLow' ? 'authorization-units-low' : 'authorization-expiring';
    if (recipients.length === 0) throw new NoAlertRecipientError(alert, event.id, siteId);
    await this.queueAlerts(tx, event.id, recipients, {
      clientId,
      siteId,
      templateCode: 'authorization-alert',
      params: { alert, rules: event.data.ruleSetId },
      urgent: false,
      requiresAck: false,
    });
  }

  /** Queues one alert per recipient, once per event (the dedupe key), due now, and arms its timer. */
  private async queueAlerts(
    tx: Transaction,
    eventId: string,
    recipients: readonly string[],
    alert: Pick<
      NewNotification,
      'clientId' | 'siteId' | 'templateCode' | 'params' | 'urgent' | 'requiresAck' | 'subjectKey'
    >,
  ): Promise<void> {
    const now = this.clock.now();
    for (const staffId of recipients) {
      const id = await this.alerts.queue(
        tx.manager,
        {
          ...alert,
          dedupeKey: `alert:${eventId}:${staffId}`,
          kind: 'alert',
          triggerEventId: eventId,
          recipientId: staffId,
          recipientKind: 'staff',
          dueAt: now,
        },
        now,
      );
      if (id !== undefined) await this.timers.schedule(id, now);
    }
  }

  /**
   * Late documentation of a closed week: a correction that resolved the shortfall withdraws its alert (never
   * sent if still queued or held; marked withdrawn if sent), one that made the week short alerts as a shortfall.
   */
  async weekRecalculated(event: CareEvent<'WeeklyHoursRecalculated'>, tx: Transaction): Promise<void> {
    const week = event.data;
    if (week.shortBefore && !week.short) {
      const subject = subjectOf(event) as string;
      await this.alerts.withdraw(tx.manager, subject, SHORTFALL_CORRECTED, this.clock.now());
      return;
    }
    await this.raise(event, tx);
  }

  private async recipients(
    tx: Transaction,
    clientId: string,
    siteId: string,
    episodeId: string | undefined,
  ): Promise<string[]> {
    const counselor = await this.alerts.primaryCounselor(tx.manager, clientId, episodeId);
    if (counselor !== undefined) return [counselor];
    for (const role of SITE_FALLBACK_ROLES) {
      const staff = await this.alerts.staffWithRole(tx.manager, role, siteId);
      if (staff.length > 0) return staff;
    }
    return [];
  }
}
