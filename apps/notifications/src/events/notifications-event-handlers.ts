import { Injectable } from '@nestjs/common';
import { type CareEvent, Topics, type TopicName } from '@stepwise/contracts';
import { type ConsumerHandlers, type Transaction } from '@stepwise/messaging';
import { type AlertingEvent, ClinicalAlerts } from '../alerts/clinical-alerts';
import { T } from '../delivery/notification-store';
import { type DisclosableEvent, DisclosureFanOut } from '../disclosures/disclosure-fan-out';
import { ReminderPlanner } from '../reminders/reminder-planner';

export type NotificationsEvent =
  | DisclosableEvent
  | AlertingEvent
  | 'SiteUpserted'
  | 'StaffMemberUpserted'
  | 'ConsentGranted'
  | 'ConsentRevoked';

/**
 * Everything the notifications service reacts to. Each handler runs in the consumer's inbox transaction;
 * writes are upserts keyed by natural ids, so a fact replayed under a new event id changes nothing either.
 */
@Injectable()
export class NotificationsEventHandlers {
  readonly topics: readonly TopicName[] = [
    Topics.IntakeEvents,
    Topics.SchedulingEvents,
    Topics.SchedulingReference,
    Topics.SessionsEvents,
  ];

  readonly handlers: ConsumerHandlers<NotificationsEvent>;

  constructor(
    private readonly reminders: ReminderPlanner,
    private readonly alerts: ClinicalAlerts,
    private readonly disclosures: DisclosureFanOut,
  ) {
    const disclose = <K extends DisclosableEvent>(event: CareEvent<K>, tx: Transaction): Promise<void> =>
      this.disclosures.fanOut(event, tx);
    const alertAndDisclose = async <K extends AlertingEvent & DisclosableEvent>(
      event: CareEvent<K>,
      tx: Transaction,
    ): Promise<void> => {
      await this.alerts.raise(event, tx);
      await this.disclosures.fanOut(event, tx);
    };
    this.handlers = {
      SiteUpserted: (event, tx) => this.site(event, tx),
      StaffMemberUpserted: (event, tx) => this.staff(event, tx),
      ConsentGranted: (event, tx) => this.consentGranted(event, tx),
      ConsentRevoked: (event, tx) => this.consentRevoked(event, tx),
      ClientAdmitted: async (event, tx) => {
        await this.admitted(event, tx);
        await disclose(event, tx);
      },
      AppointmentScheduled: async (event, tx) => {
        await this.reminders.scheduled(event, tx);
        await disclose(event, tx);
      },
      AppointmentRescheduled: async (event, tx) => {
        await this.reminders.rescheduled(event, tx);
        await disclose(event, tx);
      },
      AppointmentCancelled: async (event, tx) => {
        await this.reminders.cancelled(event, tx);
        await disclose(event, tx);
      },
      ClientDischarged: async (event, tx) => {
        await this.reminders.discharged(event, tx);
        await disclose(event, tx);
      },
      EngagementRiskDetected: (event, tx) => this.alerts.raise(event, tx),
      WeeklyHoursShortfall: (event, tx) => this.alerts.raise(event, tx),
      DrugScreenResulted: alertAndDisclose,
      StepDownRecommended: alertAndDisclose,
      StepUpRecommended: alertAndDisclose,
      ScreeningCompleted: alertAndDisclose,
      LevelOfCareChanged: disclose,
      SessionAttended: disclose,
      SessionMissed: disclose,
      AssessmentCompleted: disclose,
      TreatmentPlanSigned: disclose,
      TreatmentPlanReviewed: disclose,
      NoteSigned: disclose,
    };
  }

  private async site(event: CareEvent<'SiteUpserted'>, tx: Transaction): Promise<void> {
    const p = event.data;
    await tx.manager.query(
      `INSERT INTO ${T('sites')} (site_id, network_id, time_zone, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (site_id) DO UPDATE SET network_id = $2, time_zone = $3, updated_at = $4
        WHERE sites.updated_at <= EXCLUDED.updated_at`,
      [p.siteId, p.networkId, p.timeZone, new Date(p.updatedAt)],
    );
  }

  private async staff(event: CareEvent<'StaffMemberUpserted'>, tx: Transaction): Promise<void> {
    const p = event.data;
    await tx.manager.query(
      `INSERT INTO ${T('staff')} (staff_id, network_id, site_ids, roles, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (staff_id) DO UPDATE SET network_id = $2, site_ids = $3, roles = $4, active = $5, updated_at = $6
        WHERE staff.updated_at <= EXCLUDED.updated_at`,
      [p.staffId, p.networkId, p.siteIds, p.roles, p.active, new Date(p.updatedAt)],
    );
  }

  private async admitted(event: CareEvent<'ClientAdmitted'>, tx: Transaction): Promise<void> {
    const p = event.data;
    await tx.manager.query(
      `INSERT INTO ${T('episodes')} (episode_id, client_id, site_id, primary_counselor_id, admitted_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (episode_id) DO UPDATE SET primary_counselor_id = $4, admitted_at = $5`,
      [p.episodeId, p.clientId, p.siteId, p.primaryCounselorId, new Date(p.admittedAt)],
    );
  }

  private async consentGranted(event: CareEvent<'ConsentGranted'>, tx: Transaction): Promise<void> {
    const p = event.data;
    await tx.manager.query(
      `INSERT INTO ${T('consents')} (consent_id, client_id, recipient_kind, recipient_id, purposes, categories,
          granted_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (consent_id) DO NOTHING`,
      [
        p.consentId,
        p.clientId,
        p.recipient.kind,
        p.recipient.id,
        p.purposes,
        p.informationCategories,
        new Date(p.grantedAt),
        new Date(p.expiresAt),
      ],
    );
  }

  /** A revocation stops disclosures at once: queued ones are suppressed when their turn comes (re-checked). */
  private async consentRevoked(event: CareEvent<'ConsentRevoked'>, tx: Transaction): Promise<void> {
    const p = event.data;
    await tx.manager.query(
      `UPDATE ${T('consents')} SET revoked_at = LEAST(COALESCE(revoked_at, $2), $2) WHERE consent_id = $1`,
      [p.consentId, new Date(p.revokedAt)],
    );
  }
}
