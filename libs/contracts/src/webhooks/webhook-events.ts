import { type EventPayload, type EventTypeName } from '../registry/registry';
import { InformationCategory } from '../vocabularies/consent';
import { EngagementRiskReason } from '../vocabularies/sessions';

/**
 * What one care event type discloses when it leaves the program as a webhook, in the consent's terms (42 CFR
 * 2.31: a consent names the kinds of information it covers).
 */
export interface WebhookDisclosureRule {
  /**
   * The information category a subscriber's consent must cover for the event to be delivered at all; or
   * `CONSENT_ITSELF`: the event is about a consent, delivered only to the recipient that consent names, under it.
   */
  readonly category: DisclosedCategory;
  /**
   * Delivered although the consent no longer holds: the event is the notice that it ended (a revocation), so the
   * send-time consent check, which stops every other delivery under an ended consent, lets it through.
   */
  readonly noticeOfConsentEnd?: true;
  /**
   * Fields that tell more than `category`: each is delivered only when the consent also covers every category
   * listed for it, and otherwise left out of the body (and named in `disclosure.withheldFields`).
   */
  readonly fields?: Readonly<Record<string, readonly InformationCategory[]>>;
  /**
   * Values that tell more than `category`: an event whose field has this value is delivered only when the consent
   * also covers `requires` (a risk flagged because of positive drug screens says something about drug screens).
   */
  readonly whenValue?: readonly {
    readonly field: string;
    readonly equals: string;
    readonly requires: InformationCategory;
  }[];
}

/**
 * What a consent event discloses: the consent itself (its scope and status), told only to the recipient it names
 * — who is a party to it — whatever information categories it covers.
 */
export const CONSENT_ITSELF = 'consent';

/** What a webhook event discloses: a category of the record, or the consent naming the subscriber. */
export type DisclosedCategory = InformationCategory | typeof CONSENT_ITSELF;

const EVIDENCE_CATEGORIES = [
  InformationCategory.Attendance,
  InformationCategory.DrugScreens,
  InformationCategory.TreatmentPlan,
  InformationCategory.Assessments,
] as const;

/**
 * Every care event an outside system may subscribe to by webhook, and what its consent must cover: the one place
 * the categories are declared. The webhook contract (generated/webhooks.asyncapi.json) publishes it, the
 * subscription endpoint accepts exactly these types, and notifications gates and filters deliveries with
 * `webhookDisclosureOf` / `disclosedPayload`.
 */
export const WEBHOOK_EVENTS = {
  ClientAdmitted: { category: InformationCategory.LevelOfCare },
  LevelOfCareChanged: { category: InformationCategory.LevelOfCare },
  ClientTransferred: { category: InformationCategory.LevelOfCare },
  StepDownRecommended: {
    category: InformationCategory.LevelOfCare,
    fields: { evidence: EVIDENCE_CATEGORIES },
  },
  StepUpRecommended: {
    category: InformationCategory.LevelOfCare,
    fields: { evidence: EVIDENCE_CATEGORIES },
  },
  ClientEnrolled: { category: InformationCategory.Schedule },
  ClientWaitlisted: { category: InformationCategory.Schedule },
  AppointmentScheduled: { category: InformationCategory.Schedule },
  AppointmentRescheduled: { category: InformationCategory.Schedule },
  AppointmentCancelled: { category: InformationCategory.Schedule },
  SessionAttended: { category: InformationCategory.Attendance },
  SessionMissed: { category: InformationCategory.Attendance },
  WeeklyHoursShortfall: {
    category: InformationCategory.Attendance,
    fields: { levelOfCare: [InformationCategory.LevelOfCare] },
  },
  EngagementRiskDetected: {
    category: InformationCategory.Attendance,
    whenValue: [
      {
        field: 'reason',
        equals: EngagementRiskReason.PositiveScreens,
        requires: InformationCategory.DrugScreens,
      },
    ],
  },
  ScreeningCompleted: { category: InformationCategory.Screenings },
  AssessmentCompleted: { category: InformationCategory.Assessments },
  TreatmentPlanSigned: { category: InformationCategory.TreatmentPlan },
  TreatmentPlanReviewed: { category: InformationCategory.TreatmentPlan },
  DrugScreenResulted: { category: InformationCategory.DrugScreens },
  NoteSigned: { category: InformationCategory.ProgressNotes },
  ClientDischarged: { category: InformationCategory.DischargeSummary },
  ConsentGranted: { category: CONSENT_ITSELF },
  ConsentRevoked: { category: CONSENT_ITSELF, noticeOfConsentEnd: true },
} as const satisfies Partial<Record<EventTypeName, WebhookDisclosureRule>>;

/** The care events an outside system may subscribe to. */
export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;

export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as readonly WebhookEventType[];

export function isWebhookEventType(type: string): type is WebhookEventType {
  return Object.prototype.hasOwnProperty.call(WEBHOOK_EVENTS, type);
}

export function webhookDisclosureOf(type: WebhookEventType): WebhookDisclosureRule {
  return WEBHOOK_EVENTS[type];
}

/** Whether the event is about a consent, delivered only to the recipient it names (under that consent). */
export function isConsentEvent(type: WebhookEventType): boolean {
  return webhookDisclosureOf(type).category === CONSENT_ITSELF;
}

/** Whether the event is delivered although its consent has ended (it is the notice that it did). */
export function outlivesConsent(type: string): boolean {
  return isWebhookEventType(type) && webhookDisclosureOf(type).noticeOfConsentEnd === true;
}

/** What of an event a consent covering `categories` lets leave the program. */
export type DisclosedPayload =
  | { readonly payload: Record<string, unknown>; readonly withheldFields: readonly string[] }
  | { readonly withheld: InformationCategory };

/**
 * The event's payload as a consent covering `categories` lets it be disclosed: the fields it does not cover left
 * out, or the whole event withheld (`withheld` names the category missing) when it does not cover the event.
 * A consent event is the consent itself, told to the recipient it names: never filtered by its categories.
 */
export function disclosedPayload<T extends WebhookEventType>(
  type: T,
  payload: EventPayload<T>,
  categories: readonly string[],
): DisclosedPayload {
  const rule = webhookDisclosureOf(type);
  const covered = new Set<string>(categories);
  // A consent event goes only to the recipient the consent names (the fan-out's choice), whole.
  if (rule.category !== CONSENT_ITSELF && !covered.has(rule.category)) return { withheld: rule.category };
  const fields = payload as unknown as Record<string, unknown>;
  for (const condition of rule.whenValue ?? [])
    if (fields[condition.field] === condition.equals && !covered.has(condition.requires))
      return { withheld: condition.requires };
  const withheldFields = Object.entries(rule.fields ?? {})
    .filter(([field, needs]) => field in fields && !needs.every((category) => covered.has(category)))
    .map(([field]) => field)
    .sort();
  const kept = Object.fromEntries(
    Object.entries(fields).filter(([field]) => !withheldFields.includes(field)),
  );
  return { payload: kept, withheldFields };
}
