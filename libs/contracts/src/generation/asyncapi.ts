import { type EventDefinition } from '../events/define-event';
import {
  CloudEventHeaders,
  CONTENT_TYPE_HEADER,
  JSON_CONTENT_TYPE,
  TRACEPARENT_HEADER,
} from '../envelope/headers';
import { encodeEvent } from '../envelope/encode';
import { allEventDefinitions, isEventTypeName } from '../registry/registry';
import { exampleEvents } from '../testing/example-events';
import { ALL_TOPICS, CARE_TOPICS, Topics, type TopicSpec } from '../topics/topics';
import { INSTANT_PATTERN, UUID_PATTERN } from '../validation/formats';
import { contractClassSchemas, withRefPrefix, type JsonSchema } from './json-schemas';

/** Version of the contract document; bump the minor for additive changes, the major when a topic changes. */
export const CONTRACT_DOCUMENT_VERSION = '1.0.0';
const KAFKA_BINDING_VERSION = '0.5.0';

const TRACEPARENT_PATTERN = '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?$';
const uuidSchema = (description: string): JsonSchema => ({
  type: 'string',
  format: 'uuid',
  pattern: UUID_PATTERN,
  description,
});

/** Channel ids must be identifiers; the address is the topic name. */
function channelId(topic: TopicSpec): string {
  const care = Object.entries(Topics).find(([, name]) => name === topic.name);
  if (care) return care[0];
  return `${topic.owner[0]?.toUpperCase() ?? ''}${topic.owner.slice(1)}DeadLetters`;
}

function messageId(definition: EventDefinition): string {
  return `${definition.type}V${definition.version}`;
}

function headersSchema(definition: EventDefinition, payloadSchema: JsonSchema): JsonSchema {
  // The decoder requires ce_siteid exactly when the payload carries a siteId.
  const hasSite = Array.isArray(payloadSchema['required']) && payloadSchema['required'].includes('siteId');
  const required: string[] = [
    CloudEventHeaders.Id,
    CloudEventHeaders.Source,
    CloudEventHeaders.Type,
    CloudEventHeaders.SpecVersion,
    CloudEventHeaders.Time,
    CloudEventHeaders.Subject,
    CloudEventHeaders.CorrelationId,
    CloudEventHeaders.Confidentiality,
    CONTENT_TYPE_HEADER,
  ];
  if (hasSite) required.push(CloudEventHeaders.SiteId);
  return {
    type: 'object',
    description: 'CloudEvents 1.0 attributes in Kafka binary mode, plus W3C trace context.',
    properties: {
      [CloudEventHeaders.Id]: uuidSchema('Event id (UUIDv7); consumers deduplicate on it.'),
      [CloudEventHeaders.Source]: { type: 'string', const: definition.source },
      [CloudEventHeaders.Type]: { type: 'string', const: definition.ceType },
      [CloudEventHeaders.SpecVersion]: { type: 'string', const: '1.0' },
      [CloudEventHeaders.Time]: {
        type: 'string',
        format: 'date-time',
        pattern: INSTANT_PATTERN,
        description: 'When the fact happened (RFC 3339).',
      },
      [CloudEventHeaders.Subject]: {
        type: 'string',
        description: `Equals the record key (${definition.key}).`,
      },
      [CloudEventHeaders.SiteId]: uuidSchema(
        hasSite ? 'Equals the payload siteId.' : 'The site concerned, when the producer knows one.',
      ),
      [CloudEventHeaders.CorrelationId]: uuidSchema('Id shared by every event of one causal chain.'),
      [CloudEventHeaders.CausationId]: uuidSchema('ce_id of the event that caused this one, if any.'),
      [CloudEventHeaders.Confidentiality]: { type: 'string', const: definition.confidentiality },
      [CONTENT_TYPE_HEADER]: { type: 'string', const: JSON_CONTENT_TYPE },
      [TRACEPARENT_HEADER]: {
        type: 'string',
        pattern: TRACEPARENT_PATTERN,
        description: 'W3C Trace Context.',
      },
    },
    required: required.sort(),
  };
}

/** The example record of an event, produced by the real encoder so the document shows what is on the wire. */
function messageExample(definition: EventDefinition): JsonSchema {
  if (!isEventTypeName(definition.type)) throw new Error(`Unregistered event ${definition.type}`);
  const payload = exampleEvents[definition.type];
  const encoded = encodeEvent(definition.type, payload, {
    id: '01955a00-0000-7000-8000-0000000000e1',
    correlationId: '01955a00-0000-7000-8000-0000000000e0',
    time: new Date('2025-03-03T14:00:00.000Z'),
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });
  return { name: `${definition.type}Example`, headers: { ...encoded.headers }, payload };
}

function message(definition: EventDefinition, payloadSchema: JsonSchema): JsonSchema {
  return {
    name: definition.type,
    title: `${definition.type} v${definition.version}`,
    summary: definition.summary,
    description:
      `CloudEvents type \`${definition.ceType}\`; record key \`${definition.key}\`; ` +
      `confidentiality \`${definition.confidentiality}\`.`,
    contentType: JSON_CONTENT_TYPE,
    headers: headersSchema(definition, payloadSchema),
    payload: { $ref: `#/components/schemas/${definition.payload.name}` },
    correlationId: { location: `$message.header#/${CloudEventHeaders.CorrelationId}` },
    bindings: {
      kafka: {
        key: { ...uuidSchema(`The ${definition.key}.`) },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: [messageExample(definition)],
  };
}

function channel(topic: TopicSpec, definitions: readonly EventDefinition[]): JsonSchema {
  const messages: JsonSchema = {};
  for (const definition of definitions.filter((d) => d.topic === topic.name)) {
    messages[messageId(definition)] = { $ref: `#/components/messages/${messageId(definition)}` };
  }
  const isCare = CARE_TOPICS.includes(topic);
  return {
    address: topic.name,
    title: topic.name,
    description: isCare
      ? topic.purpose
      : `${topic.purpose}. Records keep their original key, value and headers; the dead-letter headers are ` +
        'defined by the messaging library.',
    messages,
    bindings: {
      kafka: {
        topic: topic.name,
        partitions: topic.partitions,
        topicConfiguration: { 'cleanup.policy': [topic.cleanupPolicy], 'retention.ms': topic.retentionMs },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

export function buildAsyncApiDocument(definitions = allEventDefinitions()): JsonSchema {
  const classSchemas = contractClassSchemas(definitions);
  const channels: JsonSchema = {};
  const operations: JsonSchema = {};
  for (const topic of ALL_TOPICS) {
    const id = channelId(topic);
    channels[id] = channel(topic, definitions);
    const published = definitions.filter((definition) => definition.topic === topic.name);
    if (published.length === 0) continue;
    operations[`${topic.owner}Publishes${id}`] = {
      action: 'send',
      title: `${topic.owner} publishes to ${topic.name}`,
      channel: { $ref: `#/channels/${id}` },
      messages: published.map((definition) => ({
        $ref: `#/channels/${id}/messages/${messageId(definition)}`,
      })),
    };
  }
  const schemas: JsonSchema = {};
  for (const [name, schema] of classSchemas) schemas[name] = withRefPrefix(schema, '#/components/schemas/');
  const messages: JsonSchema = {};
  for (const definition of definitions) {
    const payloadSchema = classSchemas.get(definition.payload.name);
    if (!payloadSchema) throw new Error(`No schema for ${definition.payload.name}`);
    messages[messageId(definition)] = message(definition, payloadSchema);
  }

  return {
    asyncapi: '3.0.0',
    id: 'urn:stepwise:contracts:care-events',
    info: {
      title: 'Stepwise care events',
      version: CONTRACT_DOCUMENT_VERSION,
      description:
        'Facts published by the Stepwise services (intake, scheduling, sessions, notifications) on Kafka, as ' +
        'CloudEvents 1.0 in binary mode: the JSON payload is the record value and the attributes are `ce_*` ' +
        'headers. Payloads carry identifiers, codes, dates and numbers only. The care topics are internal to the ' +
        'treating program; `part2` events leave it only through a consent-checked disclosure path. Generated from ' +
        'the payload classes of libs/contracts; do not edit by hand.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: JSON_CONTENT_TYPE,
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The single-node development broker started by the infrastructure script.',
      },
    },
    channels,
    operations,
    components: { messages, schemas },
  };
}
