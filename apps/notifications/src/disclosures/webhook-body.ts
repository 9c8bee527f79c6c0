import {
  type InformationCategory,
  type WebhookDisclosure,
  WebhookPayloadFormat,
  disclosedPayload,
  fhirDisclosure,
  fhirWebhookCloudEvent,
  isWebhookEventType,
  offeredAsFhir,
  webhookCloudEvent,
} from '@stepwise/contracts';
import { isFhirWebhookEventType, resourceOfEvent, withPart2Labels } from '@stepwise/fhir';
import { type NotificationRow } from '../delivery/notification-store';
import { type ClearedDisclosure } from './send-time-disclosure';

/** What a webhook delivery posts, or the category its consent no longer covers (nothing is posted). */
export type WebhookBody =
  { readonly body: string } | { readonly withheld: InformationCategory | 'unknown-type' };

/** The consent, the §2.32 notice and the redisclosure statement as the body carries them. */
function disclosureOf(
  row: NotificationRow,
  cleared: ClearedDisclosure,
  withheldFields: readonly string[],
): WebhookDisclosure {
  const { terms, notice } = cleared;
  return {
    purpose: cleared.purpose,
    informationCategory: row.params['category'] ?? '',
    consent: {
      id: terms.consentId,
      informationCategories: terms.informationCategories,
      purposes: terms.purposes,
      expiresAt: terms.expiresAt,
      expiresOnEvent: terms.expiresOnEvent,
    },
    notice: { version: notice.version, text: notice.text, url: cleared.noticeUrl },
    redisclosure: terms.redisclosure,
    withheldFields,
  };
}

/** The subscription a body is for: its payload format, and who it is (the recipient a consent names). */
export interface WebhookBodyTarget {
  readonly payload_format: string;
  readonly organisation_id: string;
  readonly recipient_kind: string;
}

/** The CloudEvent attributes every body carries, as the event was queued. */
function attributesOf(row: NotificationRow) {
  const ceType = row.params['ceType'];
  return {
    ...(ceType === undefined ? {} : { ceType }),
    id: row.trigger_event_id,
    time: row.params['occurredAt'] ?? '',
    // Every subscribable event is keyed by its client (queued before `subject` was stored: the client).
    subject: row.params['subject'] ?? row.client_id ?? '',
    ...(row.site_id === null ? {} : { siteId: row.site_id }),
  };
}

/**
 * The body of one webhook delivery: the care event as a CloudEvent in structured mode (the contract in
 * libs/contracts/generated/webhooks.asyncapi.json), its data filtered by the categories of the consent as
 * intake answered it at send time — so a consent narrowed since the event was queued discloses only what it
 * covers now. The subscription's payload format decides the data: the event's payload, or the FHIR resource
 * it changed.
 */
export function webhookBody(
  row: NotificationRow,
  cleared: ClearedDisclosure,
  target: WebhookBodyTarget,
): WebhookBody {
  const type = row.params['eventType'] ?? '';
  if (!isWebhookEventType(type)) return { withheld: 'unknown-type' };
  const event = JSON.parse(row.params['event'] ?? '{}') as Record<string, unknown>;
  if (target.payload_format === WebhookPayloadFormat.FhirR4) return fhirBody(row, cleared, target, event);
  const disclosed = disclosedPayload(type, event as never, cleared.terms.informationCategories);
  if ('withheld' in disclosed) return { withheld: disclosed.withheld };
  return {
    body: JSON.stringify(
      webhookCloudEvent({
        type,
        ...attributesOf(row),
        payload: disclosed.payload,
        disclosure: disclosureOf(row, cleared, disclosed.withheldFields),
      }),
    ),
  };
}

/**
 * A `fhir-r4` subscription's body: the resource the event changed (libs/fhir builds it from the event alone),
 * labelled as Part 2 data, under the same consent check as the JSON body plus the category the resource needs.
 * An event type that changes no resource is refused at registration; one queued anyway is withheld.
 */
function fhirBody(
  row: NotificationRow,
  cleared: ClearedDisclosure,
  target: WebhookBodyTarget,
  event: Record<string, unknown>,
): WebhookBody {
  const type = row.params['eventType'] ?? '';
  if (!offeredAsFhir(type) || !isFhirWebhookEventType(type)) return { withheld: 'unknown-type' };
  const { terms, notice } = cleared;
  const disclosed = fhirDisclosure(type, event as never, terms.informationCategories);
  if ('withheld' in disclosed) return { withheld: disclosed.withheld };
  const attributes = attributesOf(row);
  const resource = resourceOfEvent(type, event as never, {
    occurredAt: new Date(attributes.time),
    consent: {
      consentId: terms.consentId,
      recipientKind: target.recipient_kind,
      recipientId: target.organisation_id,
      informationCategories: terms.informationCategories,
      purposes: terms.purposes,
      expiresAt: new Date(terms.expiresAt),
    },
  });
  const labelled = withPart2Labels(resource, {
    noticeVersion: notice.version,
    noticeText: notice.text,
    redisclosureVersion: terms.redisclosure.version,
    redisclosureText: terms.redisclosure.text,
  });
  return {
    body: JSON.stringify(
      fhirWebhookCloudEvent({
        type,
        ...attributes,
        resource: labelled as unknown as Parameters<typeof fhirWebhookCloudEvent>[0]['resource'],
        disclosure: disclosureOf(row, cleared, []),
      }),
    ),
  };
}
