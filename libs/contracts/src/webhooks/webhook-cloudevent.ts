import { eventDefinition } from '../registry/registry';
import { CLOUDEVENTS_SPEC_VERSION, JSON_CONTENT_TYPE } from '../envelope/headers';
import { type Confidentiality } from '../vocabularies/confidentiality';
import { type WebhookEventType } from './webhook-events';
import { FHIR_JSON_CONTENT_TYPE } from './webhook-fhir';

/** Structured-mode CloudEvents 1.0 in JSON: the whole event, attributes and data, is the HTTP body. */
export const WEBHOOK_CONTENT_TYPE = 'application/cloudevents+json';

/** The Standard Webhooks headers every delivery carries (https://www.standardwebhooks.com). */
export const WebhookHeaders = {
  /** The delivery's id: the same on every retry of one delivery, so a receiver can deduplicate on it. */
  Id: 'webhook-id',
  /** Unix seconds when the delivery was signed; receivers refuse old ones (replays). */
  Timestamp: 'webhook-timestamp',
  /** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, several separated by spaces during a rotation. */
  Signature: 'webhook-signature',
} as const;

/**
 * What a webhook carries of the consent it was disclosed under (42 CFR 2.32 and 2.31), as data a receiver can
 * act on: the consent's scope, the purpose of this disclosure, the notice and the redisclosure statement.
 */
export interface WebhookDisclosure {
  readonly purpose: string;
  readonly informationCategory: string;
  readonly consent: {
    readonly id: string;
    readonly informationCategories: readonly string[];
    readonly purposes: readonly string[];
    readonly expiresAt: string;
    readonly expiresOnEvent: string | null;
  };
  readonly notice: { readonly version: string; readonly text: string; readonly url: string };
  readonly redisclosure: { readonly version: string; readonly text: string };
  /** Payload fields left out because the consent does not cover what they tell (sorted; often empty). */
  readonly withheldFields: readonly string[];
}

/** A webhook body: one care event in CloudEvents 1.0 structured mode. */
export interface WebhookCloudEvent {
  readonly specversion: typeof CLOUDEVENTS_SPEC_VERSION;
  /** The event's id, as on Kafka (`ce_id`): the same for every subscriber and every retry. */
  readonly id: string;
  readonly source: string;
  readonly type: string;
  /** The client the event is about (the Kafka record key). */
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: typeof JSON_CONTENT_TYPE;
  /** Extension attributes: the site the event happened at and the confidentiality class (`part2`). */
  readonly siteid?: string;
  readonly confidentiality: Confidentiality;
  readonly data: {
    /** The event's payload, as on Kafka, less the fields `disclosure.withheldFields` names. */
    readonly payload: Readonly<Record<string, unknown>>;
    readonly disclosure: WebhookDisclosure;
  };
}

/** One care event as it leaves for a subscriber: its Kafka attributes and the payload the consent allows. */
export interface WebhookEventInput {
  readonly type: WebhookEventType;
  /** The `ce_type` the event was published as; defaults to the type's latest version. */
  readonly ceType?: string;
  readonly id: string;
  readonly time: string;
  readonly subject: string;
  readonly siteId?: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly disclosure: WebhookDisclosure;
}

/** The context attributes both payload formats share: the same `type`, `id`, `source`, `subject` and `time` as on Kafka. */
function contextAttributes(input: Omit<WebhookEventInput, 'payload' | 'disclosure'>) {
  const latest = eventDefinition(input.type);
  const version = input.ceType === undefined ? undefined : Number(/\.v(\d+)$/.exec(input.ceType)?.[1]);
  const definition = version === undefined ? latest : eventDefinition(input.type, version);
  return {
    specversion: CLOUDEVENTS_SPEC_VERSION,
    id: input.id,
    source: definition.source,
    type: definition.ceType,
    subject: input.subject,
    time: input.time,
    ...(input.siteId === undefined ? {} : { siteid: input.siteId }),
    confidentiality: definition.confidentiality,
  } as const;
}

/** The webhook body of one care event: the same `type`, `id`, `source`, `subject` and `time` as on Kafka. */
export function webhookCloudEvent(input: WebhookEventInput): WebhookCloudEvent {
  return {
    ...contextAttributes(input),
    datacontenttype: JSON_CONTENT_TYPE,
    data: { payload: input.payload, disclosure: input.disclosure },
  };
}

/**
 * A `fhir-r4` subscription's body: the same CloudEvent, with the FHIR resource the event changed as its data.
 * The resource carries the Part 2 security labels (`meta.security`) a FHIR system acts on; the consent, the
 * purpose, the §2.32 notice and the redisclosure statement, which no standard resource element holds, travel as
 * CloudEvent extension attributes, so `data` stays a plain R4 resource any FHIR validator accepts.
 */
export interface FhirWebhookCloudEvent extends Omit<WebhookCloudEvent, 'datacontenttype' | 'data'> {
  readonly datacontenttype: typeof FHIR_JSON_CONTENT_TYPE;
  /** The consent the resource was disclosed under (ConsentGranted.consentId). */
  readonly consentid: string;
  /** The purpose of this disclosure (one of the consent's purposes). */
  readonly disclosurepurpose: string;
  /** The 42 CFR 2.32 notice in full, its version and where it is published. */
  readonly part2notice: string;
  readonly part2noticeversion: string;
  readonly part2noticeurl: string;
  /** The redisclosure statement stored with the consent, and its version. */
  readonly redisclosure: string;
  readonly redisclosureversion: string;
  readonly data: Readonly<Record<string, unknown>> & { readonly resourceType: string };
}

export interface FhirWebhookEventInput extends Omit<WebhookEventInput, 'payload'> {
  /** The resource, labelled (libs/fhir `resourceOfEvent`, then `withPart2Labels`). */
  readonly resource: Readonly<Record<string, unknown>> & { readonly resourceType: string };
}

export function fhirWebhookCloudEvent(input: FhirWebhookEventInput): FhirWebhookCloudEvent {
  const { disclosure } = input;
  return {
    ...contextAttributes(input),
    datacontenttype: FHIR_JSON_CONTENT_TYPE,
    consentid: disclosure.consent.id,
    disclosurepurpose: disclosure.purpose,
    part2notice: disclosure.notice.text,
    part2noticeversion: disclosure.notice.version,
    part2noticeurl: disclosure.notice.url,
    redisclosure: disclosure.redisclosure.text,
    redisclosureversion: disclosure.redisclosure.version,
    data: input.resource,
  };
}
