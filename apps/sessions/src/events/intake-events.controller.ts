import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent, type Transaction } from '@stepwise/messaging';
import { EvaluateEpisode, lockEpisodes } from '../progress/evaluate-episode';
import { FamilyParticipantsRepository } from '../attendance/family-participants.repository';
import { BillingRepository } from '../billing/billing.repository';
import { ProjectionsRepository } from '../projections/projections.repository';

/**
 * What sessions consumes from intake: episode facts. Each handler runs in the inbox transaction; facts that
 * feed the progress rules re-evaluate the episode in the same transaction, so a derived event commits exactly
 * when the fact does.
 */
@EventsController()
export class IntakeEvents {
  constructor(
    private readonly projections: ProjectionsRepository,
    private readonly evaluate: EvaluateEpisode,
    private readonly family: FamilyParticipantsRepository,
    private readonly billing: BillingRepository,
  ) {}

  /** A payer authorization: its units count down from the episode's billable days (warned on evaluation). */
  @OnEvent('PayerAuthorizationRecorded')
  authorized(
    @Payload() authorization: EventPayload<'PayerAuthorizationRecorded'>,
    @Ctx() { tx }: InboxContext<'PayerAuthorizationRecorded'>,
  ): Promise<void> {
    return this.thenEvaluate(tx, [authorization.episodeId], () =>
      this.billing.projectAuthorization(tx.manager, authorization),
    );
  }

  /** The episode's diagnoses, each revision kept: what each billed day points to. */
  @OnEvent('EpisodeDiagnosesChanged')
  diagnosed(
    @Payload() diagnoses: EventPayload<'EpisodeDiagnosesChanged'>,
    @Ctx() { tx }: InboxContext<'EpisodeDiagnosesChanged'>,
  ): Promise<void> {
    return this.billing.projectDiagnoses(tx.manager, diagnoses);
  }

  /** Consents to family members, ids and dates only: who may be recorded at a family session. */
  @OnEvent('ConsentGranted')
  consentGranted(
    @Payload() consent: EventPayload<'ConsentGranted'>,
    @Ctx() { tx }: InboxContext<'ConsentGranted'>,
  ): Promise<void> {
    return this.family.grant(tx.manager, consent);
  }

  @OnEvent('ConsentRevoked')
  consentRevoked(
    @Payload() revoked: EventPayload<'ConsentRevoked'>,
    @Ctx() { tx }: InboxContext<'ConsentRevoked'>,
  ): Promise<void> {
    return this.family.revoke(tx.manager, revoked);
  }

  @OnEvent('ClientAdmitted')
  admitted(
    @Payload() admission: EventPayload<'ClientAdmitted'>,
    @Ctx() { tx }: InboxContext<'ClientAdmitted'>,
  ): Promise<void> {
    return this.thenEvaluate(tx, [admission.episodeId], () => this.projections.admit(tx.manager, admission));
  }

  @OnEvent('LevelOfCareChanged')
  levelChanged(
    @Payload() change: EventPayload<'LevelOfCareChanged'>,
    @Ctx() { tx }: InboxContext<'LevelOfCareChanged'>,
  ): Promise<void> {
    return this.thenEvaluate(tx, [change.episodeId], () => this.projections.changeLevel(tx.manager, change));
  }

  @OnEvent('ClientTransferred')
  transferred(
    @Payload() moved: EventPayload<'ClientTransferred'>,
    @Ctx() { tx }: InboxContext<'ClientTransferred'>,
  ): Promise<void> {
    return this.thenEvaluate(tx, [moved.episodeId], () => this.projections.transfer(tx.manager, moved));
  }

  /** A declined recommendation leaves the level as it is; the decline lets the next one (on new evidence) be made. */
  @OnEvent('LevelOfCareRecommendationDeclined')
  declined(
    @Payload() decline: EventPayload<'LevelOfCareRecommendationDeclined'>,
    @Ctx() { tx }: InboxContext<'LevelOfCareRecommendationDeclined'>,
  ): Promise<void> {
    return this.thenEvaluate(tx, [decline.episodeId], () =>
      this.projections.declineRecommendation(tx.manager, decline.recommendationId, decline.decidedAt),
    );
  }

  @OnEvent('ClientDischarged')
  discharged(
    @Payload() discharge: EventPayload<'ClientDischarged'>,
    @Ctx() { tx }: InboxContext<'ClientDischarged'>,
  ): Promise<void> {
    return this.thenEvaluate(tx, [discharge.episodeId], () =>
      this.projections.discharge(tx.manager, discharge),
    );
  }

  @OnEvent('TreatmentPlanSigned')
  planSigned(
    @Payload() plan: EventPayload<'TreatmentPlanSigned'>,
    @Ctx() { tx }: InboxContext<'TreatmentPlanSigned'>,
  ): Promise<void> {
    return this.projections.planSigned(tx.manager, plan);
  }

  @OnEvent('TreatmentPlanReviewed')
  planReviewed(
    @Payload() review: EventPayload<'TreatmentPlanReviewed'>,
    @Ctx() { tx }: InboxContext<'TreatmentPlanReviewed'>,
  ): Promise<void> {
    return this.thenEvaluate(tx, [review.episodeId], () => this.projections.planReviewed(tx.manager, review));
  }

  /** An assessment without an episode counts for every open episode of the client. */
  @OnEvent('AssessmentCompleted')
  async assessed(
    @Payload() assessment: EventPayload<'AssessmentCompleted'>,
    @Ctx() { tx }: InboxContext<'AssessmentCompleted'>,
  ): Promise<void> {
    const episodes =
      assessment.episodeId === undefined
        ? await this.projections.openEpisodesOf(tx.manager, assessment.clientId)
        : [assessment.episodeId];
    await this.thenEvaluate(tx, episodes, () => this.projections.assessed(tx.manager, assessment));
  }

  /**
   * Locks the episodes, applies the fact, then re-evaluates them: the lock keeps two facts about one episode
   * from evaluating it concurrently on stale projections.
   */
  private async thenEvaluate(
    tx: Transaction,
    episodes: readonly string[],
    apply: () => Promise<void>,
  ): Promise<void> {
    await lockEpisodes(tx, episodes);
    await apply();
    for (const episodeId of episodes) await this.evaluate.run(tx, episodeId);
  }
}
