import { Ctx } from '@nestjs/microservices';
import { type CareEvent } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent, type Transaction } from '@stepwise/messaging';
import { ClinicalAlerts } from '../alerts/clinical-alerts';
import { DisclosureFanOut } from '../disclosures/disclosure-fan-out';

type AlertedAndDisclosed =
  | 'DrugScreenResulted'
  | 'EngagementRiskDetected'
  | 'StepDownRecommended'
  | 'StepUpRecommended'
  | 'WeeklyHoursShortfall';

/**
 * What notifications consumes from sessions: clinical signals that raise alerts, and attendance and notes
 * that may be disclosed. Each handler runs in the consumer's inbox transaction.
 */
@EventsController()
export class SessionsEvents {
  constructor(
    private readonly alerts: ClinicalAlerts,
    private readonly disclosures: DisclosureFanOut,
  ) {}

  @OnEvent('EngagementRiskDetected')
  engagementRisk(@Ctx() { event, tx }: InboxContext<'EngagementRiskDetected'>): Promise<void> {
    return this.alertAndDisclose(event, tx);
  }

  @OnEvent('WeeklyHoursShortfall')
  hoursShortfall(@Ctx() { event, tx }: InboxContext<'WeeklyHoursShortfall'>): Promise<void> {
    return this.alertAndDisclose(event, tx);
  }

  /** A prescribed MAT medication missing from a screen: the counselor's alert (possible diversion). */
  @OnEvent('PossibleMedicationDiversion')
  possibleDiversion(@Ctx() { event, tx }: InboxContext<'PossibleMedicationDiversion'>): Promise<void> {
    return this.alerts.raise(event, tx);
  }

  /** Billing staff: an authorization's units are low or its last day is near. */
  @OnEvent('AuthorizationUnitsLow')
  unitsLow(@Ctx() { event, tx }: InboxContext<'AuthorizationUnitsLow'>): Promise<void> {
    return this.alerts.authorizationRunningOut(event, tx);
  }

  @OnEvent('AuthorizationExpiring')
  expiring(@Ctx() { event, tx }: InboxContext<'AuthorizationExpiring'>): Promise<void> {
    return this.alerts.authorizationRunningOut(event, tx);
  }

  @OnEvent('WeeklyHoursRecalculated')
  hoursRecalculated(@Ctx() { event, tx }: InboxContext<'WeeklyHoursRecalculated'>): Promise<void> {
    return this.alerts.weekRecalculated(event, tx);
  }

  @OnEvent('DrugScreenResulted')
  drugScreen(@Ctx() { event, tx }: InboxContext<'DrugScreenResulted'>): Promise<void> {
    return this.alertAndDisclose(event, tx);
  }

  @OnEvent('StepDownRecommended')
  stepDown(@Ctx() { event, tx }: InboxContext<'StepDownRecommended'>): Promise<void> {
    return this.alertAndDisclose(event, tx);
  }

  @OnEvent('StepUpRecommended')
  stepUp(@Ctx() { event, tx }: InboxContext<'StepUpRecommended'>): Promise<void> {
    return this.alertAndDisclose(event, tx);
  }

  @OnEvent('SessionAttended')
  attended(@Ctx() { event, tx }: InboxContext<'SessionAttended'>): Promise<void> {
    return this.disclosures.fanOut(event, tx);
  }

  @OnEvent('SessionMissed')
  missed(@Ctx() { event, tx }: InboxContext<'SessionMissed'>): Promise<void> {
    return this.disclosures.fanOut(event, tx);
  }

  @OnEvent('NoteSigned')
  noteSigned(@Ctx() { event, tx }: InboxContext<'NoteSigned'>): Promise<void> {
    return this.disclosures.fanOut(event, tx);
  }

  private async alertAndDisclose(event: CareEvent<AlertedAndDisclosed>, tx: Transaction): Promise<void> {
    await this.alerts.raise(event, tx);
    await this.disclosures.fanOut(event, tx);
  }
}
