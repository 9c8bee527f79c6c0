import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { ClinicalAlerts } from '../alerts/clinical-alerts';
import { DisclosureFanOut } from '../disclosures/disclosure-fan-out';
import { type DisclosureRecord, DisclosuresRepository } from '../disclosures/disclosures.repository';
import { ProjectionsRepository } from '../projections/projections.repository';
import { ReminderPlanner } from '../reminders/reminder-planner';

/**
 * What notifications consumes from intake: consents, episodes and their clinical facts. Each handler runs in
 * the consumer's inbox transaction; writes are upserts keyed by natural ids, so a fact replayed under a new
 * event id changes nothing either.
 */
@EventsController()
export class IntakeEvents {
  constructor(
    private readonly projections: ProjectionsRepository,
    private readonly reminders: ReminderPlanner,
    private readonly alerts: ClinicalAlerts,
    private readonly disclosures: DisclosureFanOut,
    private readonly accounting: DisclosuresRepository,
  ) {}

  /** The projection first: the recipient the consent names (told by webhook) is read from it. */
  @OnEvent('ConsentGranted')
  async consentGranted(
    @Payload() consent: EventPayload<'ConsentGranted'>,
    @Ctx() { event, tx }: InboxContext<'ConsentGranted'>,
  ): Promise<void> {
    await this.projections.grantConsent(tx.manager, consent);
    await this.disclosures.fanOut(event, tx);
  }

  /**
   * A revocation stops disclosures at once: queued ones are suppressed when their turn comes (re-checked). The
   * recipient it names, if subscribed, is told: the one delivery made although the consent has ended.
   */
  @OnEvent('ConsentRevoked')
  async consentRevoked(
    @Payload() revocation: EventPayload<'ConsentRevoked'>,
    @Ctx() { event, tx }: InboxContext<'ConsentRevoked'>,
  ): Promise<void> {
    await this.projections.revokeConsent(tx.manager, revocation);
    await this.disclosures.fanOut(event, tx);
  }

  /** Break-glass was used: the site's clinical supervisors and auditors are alerted. */
  @OnEvent('EmergencyAccessGranted')
  emergencyAccess(@Ctx() { event, tx }: InboxContext<'EmergencyAccessGranted'>): Promise<void> {
    return this.alerts.emergencyAccess(event, tx);
  }

  @OnEvent('ClientAdmitted')
  async admitted(
    @Payload() admission: EventPayload<'ClientAdmitted'>,
    @Ctx() { event, tx }: InboxContext<'ClientAdmitted'>,
  ): Promise<void> {
    await this.projections.admit(tx.manager, admission);
    await this.disclosures.fanOut(event, tx);
  }

  @OnEvent('ClientDischarged')
  async discharged(@Ctx() { event, tx }: InboxContext<'ClientDischarged'>): Promise<void> {
    await this.reminders.discharged(event, tx);
    await this.disclosures.fanOut(event, tx);
  }

  /**
   * The client continues at another site of the network: the projection first (alerts are addressed by it),
   * then the old site's reminders from the move on are cancelled and alerts not yet sent follow the client;
   * subscribers with consent hear of it (webhook disclosures).
   */
  @OnEvent('ClientTransferred')
  async transferred(
    @Payload() moved: EventPayload<'ClientTransferred'>,
    @Ctx() { event, tx }: InboxContext<'ClientTransferred'>,
  ): Promise<void> {
    await this.projections.transfer(tx.manager, moved);
    await this.reminders.transferred(event, tx);
    await this.alerts.transferred(event, tx);
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

  /** An outside system read records over intake's FHIR view: the accounting of disclosures records it, once. */
  @OnEvent('RecordsDisclosed')
  recordsDisclosed(
    @Payload() disclosure: EventPayload<'RecordsDisclosed'>,
    @Ctx() { tx }: InboxContext<'RecordsDisclosed'>,
  ): Promise<void> {
    return this.accounting.recordDisclosure(tx.manager, accountedRead(disclosure));
  }
}

/**
 * A FHIR read as the accounting records it: keyed by the disclosure's id (recorded once however often the
 * event arrives), `fhir` as its channel, `fhir:<ResourceType>` as what was disclosed, and the consent's scope.
 */
export function accountedRead(disclosure: EventPayload<'RecordsDisclosed'>): DisclosureRecord {
  return {
    notificationId: disclosure.disclosureId,
    clientId: disclosure.clientId,
    siteId: disclosure.siteId,
    recipientKind: disclosure.recipientKind,
    recipientId: disclosure.recipientId,
    consentId: disclosure.consentId,
    purpose: disclosure.purpose,
    // A recipient reading a consent naming it: no category of the record, the consent itself.
    category: disclosure.category ?? 'consent',
    eventType: `fhir:${disclosure.resourceType}`,
    noticeVersion: disclosure.noticeVersion,
    channel: disclosure.channel,
    contentSha256: disclosure.contentSha256,
    redisclosureVersion: disclosure.redisclosureVersion,
    scope: {
      informationCategories: [...disclosure.consentCategories],
      purposes: [...disclosure.consentPurposes],
      expiresAt: disclosure.consentExpiresAt,
      expiresOnEvent: disclosure.consentExpiresOnEvent ?? null,
    },
    disclosedAt: new Date(disclosure.disclosedAt),
  };
}
