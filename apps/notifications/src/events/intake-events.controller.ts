import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { ClinicalAlerts } from '../alerts/clinical-alerts';
import { T } from '../delivery/notification-store';
import { DisclosureFanOut } from '../disclosures/disclosure-fan-out';
import { ReminderPlanner } from '../reminders/reminder-planner';

/**
 * What notifications consumes from intake: consents, episodes and their clinical facts. Each handler runs in
 * the consumer's inbox transaction; writes are upserts keyed by natural ids, so a fact replayed under a new
 * event id changes nothing either.
 */
@EventsController()
export class IntakeEvents {
  constructor(
    private readonly reminders: ReminderPlanner,
    private readonly alerts: ClinicalAlerts,
    private readonly disclosures: DisclosureFanOut,
  ) {}

  @OnEvent('ConsentGranted')
  async consentGranted(
    @Payload() p: EventPayload<'ConsentGranted'>,
    @Ctx() { tx }: InboxContext<'ConsentGranted'>,
  ): Promise<void> {
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
  @OnEvent('ConsentRevoked')
  async consentRevoked(
    @Payload() p: EventPayload<'ConsentRevoked'>,
    @Ctx() { tx }: InboxContext<'ConsentRevoked'>,
  ): Promise<void> {
    await tx.manager.query(
      `UPDATE ${T('consents')} SET revoked_at = LEAST(COALESCE(revoked_at, $2), $2) WHERE consent_id = $1`,
      [p.consentId, new Date(p.revokedAt)],
    );
  }

  @OnEvent('ClientAdmitted')
  async admitted(
    @Payload() p: EventPayload<'ClientAdmitted'>,
    @Ctx() { event, tx }: InboxContext<'ClientAdmitted'>,
  ): Promise<void> {
    await tx.manager.query(
      `INSERT INTO ${T('episodes')} (episode_id, client_id, site_id, primary_counselor_id, admitted_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (episode_id) DO UPDATE SET primary_counselor_id = $4, admitted_at = $5`,
      [p.episodeId, p.clientId, p.siteId, p.primaryCounselorId, new Date(p.admittedAt)],
    );
    await this.disclosures.fanOut(event, tx);
  }

  @OnEvent('ClientDischarged')
  async discharged(@Ctx() { event, tx }: InboxContext<'ClientDischarged'>): Promise<void> {
    await this.reminders.discharged(event, tx);
    await this.disclosures.fanOut(event, tx);
  }

  @OnEvent('ScreeningCompleted')
  async screened(@Ctx() { event, tx }: InboxContext<'ScreeningCompleted'>): Promise<void> {
    await this.alerts.raise(event, tx);
    await this.disclosures.fanOut(event, tx);
  }

  @OnEvent('LevelOfCareChanged')
  levelChanged(@Ctx() { event, tx }: InboxContext<'LevelOfCareChanged'>): Promise<void> {
    return this.disclosures.fanOut(event, tx);
  }

  @OnEvent('AssessmentCompleted')
  assessed(@Ctx() { event, tx }: InboxContext<'AssessmentCompleted'>): Promise<void> {
    return this.disclosures.fanOut(event, tx);
  }

  @OnEvent('TreatmentPlanSigned')
  planSigned(@Ctx() { event, tx }: InboxContext<'TreatmentPlanSigned'>): Promise<void> {
    return this.disclosures.fanOut(event, tx);
  }

  @OnEvent('TreatmentPlanReviewed')
  planReviewed(@Ctx() { event, tx }: InboxContext<'TreatmentPlanReviewed'>): Promise<void> {
    return this.disclosures.fanOut(event, tx);
  }
}
