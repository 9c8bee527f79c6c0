import { CATEGORY_OF_RESOURCE, DisclosedResourceType } from '../events/intake/records-disclosed';
import { type EventPayload } from '../registry/registry';
import { type InformationCategory } from '../vocabularies/consent';
import { type WebhookEventType, disclosedPayload } from './webhook-events';

/** What a subscription's deliveries carry as the CloudEvent's `data`. */
export enum WebhookPayloadFormat {
  /** The event's payload as on Kafka (less what the consent withholds) and the disclosure: the default. */
  CloudEventsJson = 'cloudevents-json',
  /** The FHIR R4 resource the event changed, labelled as 42 CFR Part 2 data. */
  FhirR4 = 'fhir-r4',
}

/** The FHIR media type (`datacontenttype` of a FHIR delivery). */
export const FHIR_JSON_CONTENT_TYPE = 'application/fhir+json';

/**
 * The care events a `fhir-r4` subscription may receive, and the one resource each changes (libs/fhir
 * `resourceOfEvent` builds it). The other subscribable events change no resource the FHIR view has (a drug
 * screen, a note, a risk flag ...): they are not offered to FHIR subscriptions, and registering one for them is
 * refused, naming them.
 */
export const FHIR_RESOURCE_OF_EVENT = {
  ClientAdmitted: DisclosedResourceType.EpisodeOfCare,
  LevelOfCareChanged: DisclosedResourceType.EpisodeOfCare,
  ClientTransferred: DisclosedResourceType.EpisodeOfCare,
  ClientDischarged: DisclosedResourceType.EpisodeOfCare,
  ConsentGranted: DisclosedResourceType.Consent,
  ConsentRevoked: DisclosedResourceType.Consent,
  AppointmentScheduled: DisclosedResourceType.Appointment,
  AppointmentRescheduled: DisclosedResourceType.Appointment,
  AppointmentCancelled: DisclosedResourceType.Appointment,
  SessionAttended: DisclosedResourceType.Encounter,
} as const satisfies Partial<Record<WebhookEventType, DisclosedResourceType>>;

export type FhirWebhookEventType = keyof typeof FHIR_RESOURCE_OF_EVENT;

export const FHIR_WEBHOOK_EVENT_TYPES = Object.keys(
  FHIR_RESOURCE_OF_EVENT,
) as readonly FhirWebhookEventType[];

export function offeredAsFhir(type: string): type is FhirWebhookEventType {
  return Object.prototype.hasOwnProperty.call(FHIR_RESOURCE_OF_EVENT, type);
}

/** Whether a FHIR delivery of the event may go, and as which resource. */
export type FhirDisclosure =
  { readonly resourceType: DisclosedResourceType } | { readonly withheld: InformationCategory };

/**
 * Whether a consent covering `categories` lets the event leave as its FHIR resource: the event's own rule (as
 * for a JSON delivery) and the category the resource needs (`CATEGORY_OF_RESOURCE`, as for a FHIR read) must
 * both hold — a discharge, which needs `discharge-summary`, is an EpisodeOfCare too, so it also needs
 * `level-of-care`. A Consent needs no category: it goes to the recipient it names.
 */
export function fhirDisclosure<T extends FhirWebhookEventType>(
  type: T,
  payload: EventPayload<T>,
  categories: readonly string[],
): FhirDisclosure {
  const event = disclosedPayload(type, payload, categories);
  if ('withheld' in event) return event;
  const resourceType = FHIR_RESOURCE_OF_EVENT[type];
  const needs = CATEGORY_OF_RESOURCE[resourceType];
  if (needs !== null && !categories.includes(needs)) return { withheld: needs };
  return { resourceType };
}
