import { Injectable } from '@nestjs/common';
import { type CareEvent, DrugScreenResult, ScreenInterpretation, StaffRole } from '@stepwise/contracts';
import { RetryLaterError, type Transaction } from '@stepwise/messaging';
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

/** Why an alert not yet sent was cancelled and addressed again to the new site's staff (its delivery log). */
export const CLIENT_TRANSFERRED = 'client-transferred';

/**
 * How long after its event an alert waits for the site's staff to reach this service when it knows none of
 * them (a site just set up, a projection being rebuilt): its event is retried meanwhile, uncounted. Longer
 * than the reference topic ever lags behind a care topic in a working system; short enough that a site with
 * truly no staff holds up the partition's other events only briefly before the dead letter.
 */
export const STAFF_ARRIVAL_GRACE_MS = 5 * 60_000;

/**
 * A clinical alert for a site none of whose staff this service knows yet, while its event is young (see
 * STAFF_ARRIVAL_GRACE_MS): the event is retried until they arrive, rather than dead-lettered. Ids only.
 */
export class StaffNotKnownYetError extends RetryLaterError {
  constructor(alert: string, eventId: string, siteId: string) {
    super(
      `The ${alert} alert of event ${eventId} waits for the staff of site ${siteId}, none of whom is known yet`,
    );
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
 * its program directors. An alert is never dropped for want of a recipient: it waits for a site's staff not
 * known yet (StaffNotKnownYetError), and fails to the dead-letter topic when none can receive it
 * (NoAlertRecipientError). The alert names nothing: it points to Stepwise by reference. After a transfer the
 * alerts follow the client: to the new site's staff (the counselor only while active there), whatever site the
 * fact names.
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
    const { clientId } = event.data;
    const episodeId = 'episodeId' in event.data ? event.data.episodeId : undefined;
    const { siteId, recipients } = await this.recipients(tx, clientId, event.data.siteId, episodeId);
    if (recipients.length === 0) throw await this.noRecipient(tx, rule.alert, event, siteId);
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
    if (recipients.length === 0) throw await this.noRecipient(tx, 'emergency-access', event, siteId);
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

  /**
   * Why an alert has no recipient: the site's staff are not here yet (none known, and the event is young
   * enough to wait for them), or no one of the known staff can receive it (a dead letter for operations).
   */
  private async noRecipient(
    tx: Transaction,
    alert: string,
    event: CareEvent,
    siteId: string,
  ): Promise<Error> {
    const age = this.clock.now().getTime() - Date.parse(event.time);
    if (age < STAFF_ARRIVAL_GRACE_MS && !(await this.alerts.knowsStaffAt(tx.manager, siteId))) {
      return new StaffNotKnownYetError(alert, event.id, siteId);
    }
    return new NoAlertRecipientError(alert, event.id, siteId);
  }

  /**
   * The client moved to another site of the network (the projection already says so): alerts not yet sent to
   * staff who do not care for the client there are cancelled (the delivery log says `client-transferred`) and
   * queued again, the same alert, for the new site's recipients. Alerts already sent stay as they were.
   */
  async transferred(event: CareEvent<'ClientTransferred'>, tx: Transaction): Promise<void> {
    const moved = event.data;
    const pending = await this.alerts.lockPendingAlerts(tx.manager, moved.clientId);
    if (pending.length === 0) return;
    const { siteId, recipients } = await this.recipients(tx, moved.clientId, moved.siteId, moved.episodeId);
    const now = this.clock.now();
    for (const alert of pending) {
      if (alert.site_id === siteId && recipients.includes(alert.recipient_id)) continue;
      if (recipients.length === 0) {
        throw new NoAlertRecipientError(alert.params['alert'] ?? 'clinical', alert.trigger_event_id, siteId);
      }
      await this.alerts.cancel(tx.manager, alert.id, CLIENT_TRANSFERRED, now);
      await this.queueAlerts(tx, alert.trigger_event_id, recipients, {
        clientId: moved.clientId,
        siteId,
        ...(alert.template_code === null ? {} : { templateCode: alert.template_code }),
        params: alert.params,
        urgent: alert.urgent,
        requiresAck: alert.requires_ack,
        subjectKey: alert.subject_key ?? undefined,
      });
    }
  }

  /**
   * Who is alerted about the client, and for which site: the episode's site when it was transferred (the new
   * site's staff care for the client from then on), else the site the fact names.
   */
  private async recipients(
    tx: Transaction,
    clientId: string,
    factSiteId: string,
    episodeId: string | undefined,
  ): Promise<{ siteId: string; recipients: string[] }> {
    const episode = await this.alerts.episodeSite(tx.manager, clientId, episodeId);
    const transferred = episode?.transferred === true;
    const siteId = transferred ? episode.siteId : factSiteId;
    const counselor = await this.alerts.primaryCounselor(tx.manager, clientId, episodeId);
    if (
      counselor !== undefined &&
      (!transferred || (await this.alerts.activeAt(tx.manager, counselor, siteId)))
    ) {
      return { siteId, recipients: [counselor] };
    }
    for (const role of SITE_FALLBACK_ROLES) {
      const staff = await this.alerts.staffWithRole(tx.manager, role, siteId);
      if (staff.length > 0) return { siteId, recipients: staff };
    }
    return { siteId, recipients: [] };
  }
}
