import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { createEventEncoder } from '../envelope/encode';
import { examplePayload } from '../testing/example-events';
import { EVENT_DEFINITIONS } from '../registry/registry';
import { ALL_TOPICS, CARE_TOPICS } from '../topics/topics';
import { ASYNCAPI_FILE, GENERATED_DIR } from './artifacts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a parsed document

const committed = readFileSync(join(GENERATED_DIR, ASYNCAPI_FILE), 'utf8');
const document = JSON.parse(committed) as Json;

describe('generated AsyncAPI document', () => {
  it('passes the official AsyncAPI parser with zero errors', async () => {
    const diagnostics = await new Parser().validate(committed);
    const errors = diagnostics
      .filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error)
      .map((diagnostic) => `${diagnostic.code} at ${diagnostic.path.join('.')}: ${diagnostic.message}`);
    expect(errors).toEqual([]);
  });

  it('parses into a model with every channel, operation and message', async () => {
    const { document: parsed } = await new Parser().parse(committed);
    if (!parsed) throw new Error('the parser returned no document');
    expect(parsed.version()).toBe('3.0.0');
    expect(
      parsed
        .channels()
        .all()
        .map((channel) => channel.address())
        .sort(),
    ).toEqual(ALL_TOPICS.map((topic) => topic.name).sort());
    expect(parsed.operations().all()).toHaveLength(CARE_TOPICS.length);
    expect(
      parsed
        .messages()
        .all()
        .map((message) => message.name())
        .sort(),
    ).toEqual(EVENT_DEFINITIONS.map((definition) => definition.type).sort());
  });

  it.each(ALL_TOPICS.map((topic) => [topic.name, topic] as const))(
    'declares %s with its Kafka partitions, retention and cleanup policy',
    (name, topic) => {
      const channel = Object.values(document['channels'] as Json).find(
        (c: Json) => c['address'] === name,
      ) as Json;
      expect(channel['bindings'].kafka).toEqual({
        topic: name,
        partitions: topic.partitions,
        topicConfiguration: { 'cleanup.policy': [topic.cleanupPolicy], 'retention.ms': topic.retentionMs },
        bindingVersion: '0.5.0',
      });
    },
  );

  it.each(EVENT_DEFINITIONS.map((definition) => [definition.type, definition] as const))(
    'describes %s on its topic, sent by its service, with ce_* headers and the record key',
    (_type, definition) => {
      const messageId = `${definition.type}V${definition.version}`;
      const [channelId, channel] = Object.entries(document['channels'] as Json).find(
        ([, c]: [string, Json]) => c['address'] === definition.topic,
      ) as [string, Json];
      expect(channel['messages'][messageId]).toEqual({ $ref: `#/components/messages/${messageId}` });

      const operation = document['operations'][`${definition.service}Publishes${channelId}`] as Json;
      expect(operation['action']).toBe('send');
      expect(operation['messages']).toContainEqual({ $ref: `#/channels/${channelId}/messages/${messageId}` });

      const message = document['components'].messages[messageId] as Json;
      expect(message['payload']).toEqual({ $ref: `#/components/schemas/${definition.payload.name}` });
      expect(message['headers'].properties.ce_type).toEqual({ type: 'string', const: definition.ceType });
      expect(message['headers'].properties.ce_confidentiality.const).toBe(definition.confidentiality);
      expect(message['headers'].required).toEqual(
        expect.arrayContaining(['ce_id', 'ce_source', 'ce_type', 'ce_specversion', 'ce_time', 'ce_subject']),
      );
      expect(message['bindings'].kafka.key).toMatchObject({ type: 'string', format: 'uuid' });
      expect(message['examples'][0].headers.ce_type).toBe(definition.ceType);
    },
  );

  it('generates enums, nested references and date formats from the classes', () => {
    const schemas = document['components'].schemas as Json;
    expect(schemas['ClientAdmittedV1Payload'].properties.levelOfCare.enum).toEqual([
      '0.5',
      '1',
      '2.1',
      '2.5',
      '3.1',
      '3.3',
      '3.5',
      '3.7',
      '4',
    ]);
    expect(schemas['ConsentGrantedV1Payload'].properties.recipient).toEqual({
      $ref: '#/components/schemas/ConsentRecipient',
    });
    expect(schemas['ProgramTrackUpsertedV1Payload'].properties.weeklyPattern.items).toEqual({
      $ref: '#/components/schemas/WeeklySessionSlot',
    });
    expect(schemas['ClientAdmittedV1Payload'].properties.admittedAt.format).toBe('date-time');
    expect(schemas['TreatmentPlanSignedV1Payload'].properties.reviewDueOn.format).toBe('date');
    expect(schemas['AssessmentCompletedV1Payload'].properties.dimensionRatings).toMatchObject({
      type: 'array',
      minItems: 6,
      maxItems: 6,
      items: { type: 'integer', minimum: 0, maximum: 4 },
    });
    expect(schemas['AssessmentCompletedV1Payload'].required).not.toContain('episodeId');
    for (const schema of Object.values(schemas)) expect((schema as Json)['additionalProperties']).toBe(false);
  });

  it.each(EVENT_DEFINITIONS.map((definition) => [definition.type, definition] as const))(
    "the %s headers schema accepts what the encoder writes and rejects another event's headers",
    (type, definition) => {
      const ajv = new Ajv({ strict: true, allErrors: true });
      addFormats(ajv);
      const message = document['components'].messages[`${type}V${definition.version}`] as Json;
      const validate = ajv.compile(message['headers'] as object);
      const encode = createEventEncoder({
        now: () => new Date('2025-03-03T14:00:00.000Z'),
        newId: () => '01955a00-0000-7000-8000-0000000000d1',
      });
      const headers = encode(definition.type, examplePayload(definition.type), {
        causationId: '01955a00-0000-7000-8000-0000000000d2',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      }).headers;
      expect(validate(headers) ? [] : validate.errors).toEqual([]);
      expect(validate({ ...headers, ce_type: 'care.intake.Other.v1' })).toBe(false);
    },
  );
});
