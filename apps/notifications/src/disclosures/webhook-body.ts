import {
  type InformationCategory,
  type WebhookDisclosure,
  disclosedPayload,
  isWebhookEventType,
  webhookCloudEvent,
} from '@stepwise/contracts';
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

/**
 * The body of one webhook delivery: the care event as a CloudEvent in structured mode (the contract in
 * libs/contracts/generated/webhooks.asyncapi.json), its payload filtered by the categories of the consent as
 * intake answered it at send time — so a consent narrowed since the event was queued discloses only what it
 * covers now.
 */
export function webhookBody(row: NotificationRow, cleared: ClearedDisclosure): WebhookBody {
  const type = row.params['eventType'] ?? '';
  if (!isWebhookEventType(type)) return { withheld: 'unknown-type' };
  const event = JSON.parse(row.params['event'] ?? '{}') as Record<string, unknown>;
  const disclosed = disclosedPayload(type, event as never, cleared.terms.informationCategories);
  if ('withheld' in disclosed) return { withheld: disclosed.withheld };
  const ceType = row.params['ceType'];
  return {
    body: JSON.stringify(
      webhookCloudEvent({
        type,
        ...(ceType === undefined ? {} : { ceType }),
        id: row.trigger_event_id,
        time: row.params['occurredAt'] ?? '',
        // Every subscribable event is keyed by its client (queued before `subject` was stored: the client).
        subject: row.params['subject'] ?? row.client_id ?? '',
        ...(row.site_id === null ? {} : { siteId: row.site_id }),
        payload: disclosed.payload,
        disclosure: disclosureOf(row, cleared, disclosed.withheldFields),
      }),
    ),
  };
}
