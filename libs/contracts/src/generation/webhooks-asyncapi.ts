import { type EventDefinition } from '../events/define-event';
import { CLOUDEVENTS_SPEC_VERSION, JSON_CONTENT_TYPE } from '../envelope/headers';
import { eventDefinition } from '../registry/registry';
import { exampleEvents } from '../testing/example-events';
import { INSTANT_PATTERN, UUID_PATTERN } from '../validation/formats';
import { InformationCategory } from '../vocabularies/consent';
import {
  WEBHOOK_CONTENT_TYPE,
  type WebhookDisclosure,
  WebhookHeaders,
  webhookCloudEvent,
} from '../webhooks/webhook-cloudevent';
import {
  CONSENT_ITSELF,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  disclosedPayload,
  webhookDisclosureOf,
} from '../webhooks/webhook-events';
import {
  FHIR_JSON_CONTENT_TYPE,
  FHIR_RESOURCE_OF_EVENT,
  WebhookPayloadFormat,
  offeredAsFhir,
} from '../webhooks/webhook-fhir';
import { CATEGORY_OF_RESOURCE } from '../events/intake/records-disclosed';
import { contractClassSchemas, type JsonSchema, withRefPrefix } from './json-schemas';

/** Version of the webhook contract; bump the minor for additive changes (a new event type), the major otherwise. */
export const WEBHOOK_CONTRACT_VERSION = '1.2.0';
const HTTP_BINDING_VERSION = '0.3.0';
const SCHEMAS = '#/components/schemas/';

const uuid = (description: string): JsonSchema => ({
  type: 'string',
  format: 'uuid',
  pattern: UUID_PATTERN,
  description,
});

const messageId = (definition: EventDefinition): string => `${definition.type}V${definition.version}`;
const eventSchemaName = (definition: EventDefinition): string => `${messageId(definition)}WebhookEvent`;

/** The headers of every delivery: Standard Webhooks' three and the CloudEvents structured-mode content type. */
const HEADERS: JsonSchema = {
  type: 'object',
  description:
    'Standard Webhooks signature headers (verify them with any Standard Webhooks library and the ' +
    "subscription's secret before reading the body) and the CloudEvents structured-mode content type.",
  properties: {
    [WebhookHeaders.Id]: {
      type: 'string',
      description:
        'The delivery id: the same on every retry of one delivery (deduplicate on it, or on the ' +
        'CloudEvent id for one event).',
    },
    [WebhookHeaders.Timestamp]: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'Unix seconds when the delivery was signed; refuse deliveries more than 5 minutes old.',
    },
    [WebhookHeaders.Signature]: {
      type: 'string',
      pattern: '^v1,[A-Za-z0-9+/]+={0,2}( v1,[A-Za-z0-9+/]+={0,2})*$',
      description:
        'Space-separated `v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<raw body>` keyed ' +
        'with the base64-decoded secret after its `whsec_` prefix; one per secret in force (two while a ' +
        'secret is rotated). Accept the delivery when any matches.',
    },
    'content-type': { type: 'string', const: `${WEBHOOK_CONTENT_TYPE}; charset=utf-8` },
  },
  required: [WebhookHeaders.Id, WebhookHeaders.Signature, WebhookHeaders.Timestamp, 'content-type'],
};

const categories: JsonSchema = {
  type: 'array',
  items: { type: 'string', enum: Object.values(InformationCategory) },
  uniqueItems: true,
};

const DISCLOSURE_SCHEMA: JsonSchema = {
  type: 'object',
  title: 'WebhookDisclosure',
  description:
    'The consent this event was disclosed under and what 42 CFR 2.32 requires to travel with it. Keep it with ' +
    'the data: the notice and the redisclosure statement bind what you may do with it.',
  properties: {
    purpose: { type: 'string', description: 'The purpose of this disclosure (one of the consent purposes).' },
    informationCategory: {
      type: 'string',
      enum: [...Object.values(InformationCategory), CONSENT_ITSELF],
      description:
        "The category of information this event type is (the contract's `x-consent-category`); `consent` for " +
        'an event about the consent that names you (granted, revoked).',
    },
    consent: {
      type: 'object',
      description: "The consent's scope.",
      properties: {
        id: uuid('The consent (ConsentGranted.consentId).'),
        informationCategories: { ...categories, description: 'What the consent covers.' },
        purposes: {
          type: 'array',
          items: { type: 'string' },
          description: 'What the consent allows it for.',
        },
        expiresAt: {
          type: 'string',
          format: 'date-time',
          description: 'When the consent ends at the latest.',
        },
        expiresOnEvent: {
          type: ['string', 'null'],
          description: 'An event that ends the consent sooner (e.g. `discharge`), or null.',
        },
      },
      required: ['expiresAt', 'expiresOnEvent', 'id', 'informationCategories', 'purposes'],
      additionalProperties: false,
    },
    notice: {
      type: 'object',
      description:
        'The notice 42 CFR 2.32 requires with each disclosure, in full, and where it is published.',
      properties: {
        version: { type: 'string' },
        text: { type: 'string', minLength: 1 },
        url: { type: 'string', format: 'uri' },
      },
      required: ['text', 'url', 'version'],
      additionalProperties: false,
    },
    redisclosure: {
      type: 'object',
      description: 'The redisclosure statement stored with the consent.',
      properties: { version: { type: 'string' }, text: { type: 'string', minLength: 1 } },
      required: ['text', 'version'],
      additionalProperties: false,
    },
    withheldFields: {
      type: 'array',
      items: { type: 'string' },
      description: 'Payload fields left out because the consent does not cover what they tell.',
    },
  },
  required: ['consent', 'informationCategory', 'notice', 'purpose', 'redisclosure', 'withheldFields'],
  additionalProperties: false,
};

/** HL7 v3 ActCode, the system of the Part 2 security labels every FHIR delivery carries. */
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

const securityLabel = (code: string): JsonSchema => ({
  type: 'object',
  properties: { system: { const: ACT_CODE }, code: { const: code } },
  required: ['code', 'system'],
});

/**
 * What this contract checks of a FHIR delivery's resource: its type, id and Part 2 labels. The rest is FHIR R4
 * itself (validate it with an R4 validator against http://hl7.org/fhir/R4): restating the R4 definitions here
 * would only let the two drift.
 */
function fhirResourceSchema(resourceType: string): JsonSchema {
  const needs = CATEGORY_OF_RESOURCE[resourceType as keyof typeof CATEGORY_OF_RESOURCE];
  return {
    type: 'object',
    title: `FHIR R4 ${resourceType}`,
    description:
      `A FHIR R4 ${resourceType} (http://hl7.org/fhir/R4/${resourceType.toLowerCase()}.html), as the FHIR API ` +
      `serves it, built only from what the event tells (elements it does not tell are absent: read the whole ` +
      `resource from the FHIR API when you need it). ` +
      (needs === null
        ? 'Delivered to the recipient the consent names. '
        : `Delivered only under a consent that also covers \`${needs}\`. `) +
      '`meta.security` labels it 42 CFR Part 2 data that must not be redisclosed without consent ' +
      '(`42CFRPart2`, `NORDSCLCD`); `meta.tag` names the notice and redisclosure statement versions.',
    properties: {
      resourceType: { type: 'string', const: resourceType },
      id: uuid(`The ${resourceType}'s logical id (the program's id for it).`),
      meta: {
        type: 'object',
        properties: {
          security: {
            type: 'array',
            allOf: [{ contains: securityLabel('42CFRPart2') }, { contains: securityLabel('NORDSCLCD') }],
          },
          tag: { type: 'array', minItems: 2 },
        },
        required: ['security', 'tag'],
      },
    },
    required: ['id', 'meta', 'resourceType'],
  };
}

/** Extension attributes a FHIR delivery carries in place of `data.disclosure`. */
const FHIR_DISCLOSURE_ATTRIBUTES: JsonSchema = {
  consentid: uuid(
    'Extension attribute: the consent the resource was disclosed under (ConsentGranted.consentId).',
  ),
  disclosurepurpose: {
    type: 'string',
    description: 'Extension attribute: the purpose of this disclosure (one of the consent purposes).',
  },
  part2notice: {
    type: 'string',
    minLength: 1,
    description: 'Extension attribute: the notice 42 CFR 2.32 requires with each disclosure, in full.',
  },
  part2noticeversion: { type: 'string', description: 'Extension attribute: the notice version.' },
  part2noticeurl: {
    type: 'string',
    format: 'uri',
    description: 'Extension attribute: where the notice is published.',
  },
  redisclosure: {
    type: 'string',
    minLength: 1,
    description: 'Extension attribute: the redisclosure statement stored with the consent.',
  },
  redisclosureversion: {
    type: 'string',
    description: 'Extension attribute: the redisclosure statement version.',
  },
};

/** The Kafka payload schema less the fields a consent may withhold: they become optional. */
function webhookPayloadSchema(type: WebhookEventType, classSchema: JsonSchema): JsonSchema {
  const withheld = Object.keys(webhookDisclosureOf(type).fields ?? {});
  if (withheld.length === 0) return classSchema;
  const required = (classSchema['required'] as string[]).filter((field) => !withheld.includes(field));
  return {
    ...classSchema,
    title: `${String(classSchema['title'])} as disclosed`,
    description: `Present only when the consent covers what they tell: ${withheld.join(', ')}.`,
    required,
  };
}

/** The context attributes both payload formats share. */
function contextAttributes(definition: EventDefinition): JsonSchema {
  return {
    specversion: { type: 'string', const: CLOUDEVENTS_SPEC_VERSION },
    id: uuid('The event id, the same as on Kafka (ce_id) and on every retry; deduplicate events on it.'),
    source: { type: 'string', const: definition.source },
    type: { type: 'string', const: definition.ceType },
    subject: uuid(`The ${definition.key}, the same as on Kafka (ce_subject).`),
    time: {
      type: 'string',
      format: 'date-time',
      pattern: INSTANT_PATTERN,
      description: 'When the fact happened (RFC 3339).',
    },
    siteid: uuid('Extension attribute: the site the event happened at.'),
    confidentiality: { type: 'string', const: definition.confidentiality },
  };
}

const REQUIRED_ATTRIBUTES = [
  'confidentiality',
  'data',
  'datacontenttype',
  'id',
  'source',
  'specversion',
  'subject',
  'time',
  'type',
];

function eventSchema(definition: EventDefinition, payloadRef: string): JsonSchema {
  return {
    type: 'object',
    title: `${definition.type} v${definition.version} as a CloudEvent`,
    description:
      'CloudEvents 1.0 in structured mode: the whole event is the JSON body (payload format `cloudevents-json`).',
    properties: {
      ...contextAttributes(definition),
      datacontenttype: { type: 'string', const: JSON_CONTENT_TYPE },
      data: {
        type: 'object',
        properties: {
          payload: { $ref: payloadRef },
          disclosure: { $ref: `${SCHEMAS}WebhookDisclosure` },
        },
        required: ['disclosure', 'payload'],
        additionalProperties: false,
      },
    },
    required: REQUIRED_ATTRIBUTES,
    additionalProperties: false,
  };
}

/** The same event for a `fhir-r4` subscription: the resource it changed as `data`, the disclosure as attributes. */
function fhirEventSchema(definition: EventDefinition, resourceType: string): JsonSchema {
  return {
    type: 'object',
    title: `${definition.type} v${definition.version} as a CloudEvent carrying FHIR R4`,
    description:
      'CloudEvents 1.0 in structured mode (payload format `fhir-r4`): `data` is the FHIR R4 resource the event ' +
      'changed (`datacontenttype` `application/fhir+json`); the consent, the purpose, the 42 CFR 2.32 notice ' +
      'and the redisclosure statement are extension attributes.',
    properties: {
      ...contextAttributes(definition),
      datacontenttype: { type: 'string', const: FHIR_JSON_CONTENT_TYPE },
      ...FHIR_DISCLOSURE_ATTRIBUTES,
      data: { $ref: `${SCHEMAS}FhirR4${resourceType}` },
    },
    required: [...REQUIRED_ATTRIBUTES, ...Object.keys(FHIR_DISCLOSURE_ATTRIBUTES)].sort(),
    additionalProperties: false,
  };
}

/** An example disclosure, with a consent covering only the event's own category (so fields may be withheld). */
function exampleDisclosure(type: WebhookEventType, withheldFields: readonly string[]): WebhookDisclosure {
  const category = webhookDisclosureOf(type).category;
  return {
    purpose: 'care-coordination',
    informationCategory: category,
    consent: {
      id: '01955a00-0000-7000-8000-0000000000c1',
      informationCategories: [category === CONSENT_ITSELF ? InformationCategory.Attendance : category],
      purposes: ['care-coordination'],
      expiresAt: '2026-03-03T00:00:00.000Z',
      expiresOnEvent: 'discharge',
    },
    notice: {
      version: 'part2-notice@2024',
      text: 'This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). …',
      url: 'https://program.example.org/part2-notice',
    },
    redisclosure: {
      version: 'redisclosure@1',
      text: 'Redisclosure is permitted only as the consent allows.',
    },
    withheldFields,
  };
}

function example(type: WebhookEventType): JsonSchema {
  const payload = exampleEvents[type];
  const category = webhookDisclosureOf(type).category;
  const disclosed = disclosedPayload(type, payload, [category]);
  if ('withheld' in disclosed) throw new Error(`The example ${type} is withheld from its own category`);
  const body = webhookCloudEvent({
    type,
    id: '01955a00-0000-7000-8000-0000000000e1',
    time: '2025-03-03T14:00:00.000Z',
    subject: (payload as unknown as Record<string, string>)[eventDefinition(type).key] ?? '',
    siteId: (payload as { siteId?: string }).siteId,
    payload: disclosed.payload,
    disclosure: exampleDisclosure(type, disclosed.withheldFields),
  });
  return {
    name: `${type}Example`,
    headers: {
      [WebhookHeaders.Id]: '01955a00-0000-7000-8000-0000000000d1',
      [WebhookHeaders.Timestamp]: '1741010400',
      // Illustrative: a real signature covers the exact bytes of the body as sent.
      [WebhookHeaders.Signature]: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
      'content-type': `${WEBHOOK_CONTENT_TYPE}; charset=utf-8`,
    },
    payload: body,
  };
}

function message(type: WebhookEventType, definition: EventDefinition): JsonSchema {
  const rule = webhookDisclosureOf(type);
  const fields = Object.entries(rule.fields ?? {}).map(
    ([field, needs]) => `\`${field}\` only when it also covers ${needs.map((c) => `\`${c}\``).join(', ')}`,
  );
  const values = (rule.whenValue ?? []).map(
    (when) =>
      `delivered with \`${when.field}\` = \`${when.equals}\` only when it also covers \`${when.requires}\``,
  );
  return {
    name: definition.type,
    title: `${definition.type} v${definition.version}`,
    summary: definition.summary,
    description:
      `CloudEvents type \`${definition.ceType}\`. ` +
      (offeredAsFhir(type)
        ? `For a \`fhir-r4\` subscription, \`data\` is the FHIR R4 ${FHIR_RESOURCE_OF_EVENT[type]} the event changed. `
        : 'Not offered to `fhir-r4` subscriptions (it changes no FHIR resource). ') +
      (rule.category === CONSENT_ITSELF
        ? `Delivered only to the recipient the consent names, under that consent${rule.noticeOfConsentEnd === true ? ', although it has ended (this is the notice that it did)' : ''}`
        : `Delivered under a consent covering \`${rule.category}\``) +
      `${[...fields, ...values].length > 0 ? `; ${[...fields, ...values].join('; ')}` : ''}.`,
    contentType: WEBHOOK_CONTENT_TYPE,
    headers: HEADERS,
    payload: {
      $ref: `${SCHEMAS}${offeredAsFhir(type) ? `${messageId(definition)}WebhookBody` : eventSchemaName(definition)}`,
    },
    bindings: { http: { bindingVersion: HTTP_BINDING_VERSION } },
    examples: [example(type)],
    'x-consent-category': rule.category,
    'x-payload-formats': offeredAsFhir(type)
      ? [WebhookPayloadFormat.CloudEventsJson, WebhookPayloadFormat.FhirR4]
      : [WebhookPayloadFormat.CloudEventsJson],
    ...(offeredAsFhir(type) ? { 'x-fhir-resource': FHIR_RESOURCE_OF_EVENT[type] } : {}),
    ...(rule.fields === undefined ? {} : { 'x-consent-fields': rule.fields }),
    ...(rule.whenValue === undefined ? {} : { 'x-consent-values': rule.whenValue }),
  };
}

/**
 * The webhook contract as AsyncAPI 3.0: one HTTP channel (the URL a subscription names) on which Stepwise sends
 * each subscribed care event as a signed POST of a CloudEvent in structured mode. Built from the same classes,
 * registry and declarations (WEBHOOK_EVENTS) as the Kafka document and the deliveries themselves.
 */
export function buildWebhooksAsyncApiDocument(): JsonSchema {
  const definitions = WEBHOOK_EVENT_TYPES.map((type) => [type, eventDefinition(type)] as const);
  const classSchemas = contractClassSchemas(definitions.map(([, definition]) => definition));
  const schemas: JsonSchema = { WebhookDisclosure: DISCLOSURE_SCHEMA };
  for (const [name, schema] of classSchemas) schemas[name] = withRefPrefix(schema, SCHEMAS);
  const messages: JsonSchema = {};
  const channelMessages: JsonSchema = {};
  for (const [type, definition] of definitions) {
    const classSchema = schemas[definition.payload.name] as JsonSchema;
    const payloadSchema = webhookPayloadSchema(type, classSchema);
    const payloadName =
      payloadSchema === classSchema ? definition.payload.name : `${messageId(definition)}WebhookPayload`;
    schemas[payloadName] = payloadSchema;
    schemas[eventSchemaName(definition)] = eventSchema(definition, `${SCHEMAS}${payloadName}`);
    if (offeredAsFhir(type)) {
      const resourceType = FHIR_RESOURCE_OF_EVENT[type];
      schemas[`FhirR4${resourceType}`] = fhirResourceSchema(resourceType);
      schemas[`${messageId(definition)}FhirWebhookEvent`] = fhirEventSchema(definition, resourceType);
      // One message per event type: its body is either format, told apart by `datacontenttype`.
      schemas[`${messageId(definition)}WebhookBody`] = {
        title: `${definition.type} v${definition.version} webhook body`,
        description:
          "The subscription's payload format decides which: `cloudevents-json` (default) or `fhir-r4`.",
        oneOf: [
          { $ref: `${SCHEMAS}${eventSchemaName(definition)}` },
          { $ref: `${SCHEMAS}${messageId(definition)}FhirWebhookEvent` },
        ],
      };
    }
    messages[messageId(definition)] = message(type, definition);
    channelMessages[messageId(definition)] = { $ref: `#/components/messages/${messageId(definition)}` };
  }
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return {
    asyncapi: '3.0.0',
    id: 'urn:stepwise:contracts:webhooks',
    info: {
      title: 'Stepwise care-event webhooks',
      version: WEBHOOK_CONTRACT_VERSION,
      description:
        'What an outside system subscribed to care events receives: each event it subscribed to, about a client ' +
        'whose consent names it and covers the event, as one HTTPS POST to the URL of its subscription. The body ' +
        'is a CloudEvents 1.0 event in structured mode (`application/cloudevents+json`) with the same `type`, ' +
        '`id`, `source`, `subject` and `time` as on the internal Kafka topics; `data.payload` is the event less ' +
        'what the consent does not cover and `data.disclosure` the consent, the 42 CFR 2.32 notice and the ' +
        'redisclosure statement. Deliveries are signed per Standard Webhooks (`webhook-id`, ' +
        '`webhook-timestamp`, `webhook-signature`). A subscription registered with `payloadFormat` `fhir-r4` ' +
        'receives instead, for the events that change one, the FHIR R4 resource as `data` ' +
        '(`datacontenttype` `application/fhir+json`), labelled as Part 2 data, with the consent and the notice as ' +
        'extension attributes. Answer 2xx to acknowledge; anything else is retried. See ' +
        'docs/integrating.md. Generated from libs/contracts; do not edit by hand.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: WEBHOOK_CONTENT_TYPE,
    servers: {
      subscriber: {
        host: '{host}',
        protocol: 'https',
        description:
          "The subscriber's own server (plain http is accepted to loopback outside production only).",
        variables: {
          host: { description: 'Host (and port) of the URL the subscription was registered with.' },
        },
      },
    },
    channels: {
      careEvents: {
        address: null,
        title: 'Care events of consenting clients',
        description: 'The URL the subscription names.',
        servers: [{ $ref: '#/servers/subscriber' }],
        messages: channelMessages,
      },
    },
    operations: {
      deliverCareEvent: {
        action: 'send',
        title: 'Stepwise POSTs a care event to the subscriber',
        channel: { $ref: '#/channels/careEvents' },
        bindings: { http: { method: 'POST', bindingVersion: HTTP_BINDING_VERSION } },
        messages: Object.keys(channelMessages).map((id) => ({
          $ref: `#/channels/careEvents/messages/${id}`,
        })),
      },
    },
    components: { messages, schemas: sortedSchemas },
  };
}
