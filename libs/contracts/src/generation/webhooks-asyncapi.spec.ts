import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { type CloudEvent, HTTP } from 'cloudevents';
import { eventDefinition } from '../registry/registry';
import { type WebhookDisclosure, fhirWebhookCloudEvent } from '../webhooks/webhook-cloudevent';
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from '../webhooks/webhook-events';
import { FHIR_RESOURCE_OF_EVENT, FHIR_WEBHOOK_EVENT_TYPES } from '../webhooks/webhook-fhir';
import { GENERATED_DIR, WEBHOOKS_ASYNCAPI_FILE } from './artifacts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a parsed document

const committed = readFileSync(join(GENERATED_DIR, WEBHOOKS_ASYNCAPI_FILE), 'utf8');
const document = JSON.parse(committed) as Json;
const messages = Object.entries(document['components'].messages as Json);

/** A validator of the body of one message, from the document alone (what a receiver has). */
function bodyValidator(messageName: string): (body: unknown) => boolean {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: document['components'] as Json }, 'contract');
  const ref = (document['components'].messages[messageName].payload.$ref as string).replace('#', 'contract#');
  return ajv.compile({ $ref: ref });
}

describe('generated webhook contract (AsyncAPI 3.0, HTTP)', () => {
  it('passes the official AsyncAPI parser with zero errors', async () => {
    const diagnostics = await new Parser().validate(committed);
    const errors = diagnostics
      .filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error)
      .map((diagnostic) => `${diagnostic.code} at ${diagnostic.path.join('.')}: ${diagnostic.message}`);
    expect(errors).toEqual([]);
  });

  it('declares one message per subscribable event type, with its consent category', () => {
    expect(messages.map(([, message]) => message.name as string).sort()).toEqual(
      [...WEBHOOK_EVENT_TYPES].sort(),
    );
    for (const [, message] of messages)
      expect(message['x-consent-category']).toBe(
        WEBHOOK_EVENTS[message.name as keyof typeof WEBHOOK_EVENTS].category,
      );
    expect(document['operations'].deliverCareEvent.bindings.http.method).toBe('POST');
  });

  it.each(messages.map(([id, message]) => [id, message] as const))(
    '%s: its example body validates against its schema and is a CloudEvent the official SDK reads',
    (id, message) => {
      const example = message.examples[0] as { headers: Record<string, string>; payload: Json };
      expect(bodyValidator(id)(example.payload)).toBe(true);
      const event = HTTP.toEvent({
        headers: example.headers,
        body: JSON.stringify(example.payload),
      }) as CloudEvent<Json>;
      expect(event.validate()).toBe(true);
      const definition = eventDefinition(message.name as keyof typeof WEBHOOK_EVENTS);
      expect([event.specversion, event.type, event.source, event.datacontenttype]).toEqual([
        '1.0',
        definition.ceType,
        definition.source,
        'application/json',
      ]);
      expect(event.data?.['disclosure'].notice.text).toContain('42 CFR part 2');
    },
  );

  it('refuses a body that is not the contract: wrong type, extra attribute, missing notice', () => {
    const validate = bodyValidator('SessionAttendedV1');
    const [, message] = messages.find(([id]) => id === 'SessionAttendedV1') as [string, Json];
    const body = message.examples[0].payload as Json;
    expect(validate(body)).toBe(true);
    expect(validate({ ...body, type: 'care.sessions.SessionMissed.v1' })).toBe(false);
    expect(validate({ ...body, clientName: 'x' })).toBe(false);
    const { notice: _notice, ...withoutNotice } = body['data'].disclosure as Json;
    expect(validate({ ...body, data: { ...body['data'], disclosure: withoutNotice } })).toBe(false);
  });

  describe('the fhir-r4 payload format', () => {
    const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
    const [, attended] = messages.find(([id]) => id === 'SessionAttendedV1') as [string, Json];
    const jsonBody = attended.examples[0].payload as Json;
    const disclosure = jsonBody['data'].disclosure as WebhookDisclosure;
    const resource = {
      resourceType: 'Encounter',
      id: '01955a00-0000-7000-8000-0000000000a7',
      meta: {
        security: [
          { system: ACT_CODE, code: '42CFRPart2' },
          { system: ACT_CODE, code: 'NORDSCLCD' },
        ],
        tag: [{ code: 'part2-notice@2024' }, { code: 'redisclosure@1' }],
      },
      status: 'finished',
    };
    const fhirBody = (type: 'SessionAttended' | 'DrugScreenResulted', data: Json = resource): Json =>
      fhirWebhookCloudEvent({
        type,
        id: jsonBody['id'] as string,
        time: jsonBody['time'] as string,
        subject: jsonBody['subject'] as string,
        resource: data as typeof resource,
        disclosure,
      }) as unknown as Json;

    it('is documented on the messages of the events that change a resource, and only those', () => {
      for (const [, message] of messages) {
        const fhir = FHIR_WEBHOOK_EVENT_TYPES.includes(message.name as never);
        expect(message['x-payload-formats']).toEqual(
          fhir ? ['cloudevents-json', 'fhir-r4'] : ['cloudevents-json'],
        );
        expect(message['x-fhir-resource']).toBe(
          fhir ? FHIR_RESOURCE_OF_EVENT[message.name as keyof typeof FHIR_RESOURCE_OF_EVENT] : undefined,
        );
      }
    });

    it('a FHIR body validates against the message and is a CloudEvent the SDK reads, notice as attributes', () => {
      const body = fhirBody('SessionAttended');
      expect(bodyValidator('SessionAttendedV1')(body)).toBe(true);
      const event = HTTP.toEvent({
        headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
        body: JSON.stringify(body),
      }) as CloudEvent<Json>;
      expect(event.validate()).toBe(true);
      expect(event.datacontenttype).toBe('application/fhir+json');
      expect(event['part2notice']).toContain('42 CFR part 2');
      expect(event.data?.['resourceType']).toBe('Encounter');
    });

    it('refuses a FHIR body without the Part 2 labels, of the wrong resource, or for an event not offered', () => {
      const validate = bodyValidator('SessionAttendedV1');
      expect(validate(fhirBody('SessionAttended', { ...resource, meta: { tag: resource.meta.tag } }))).toBe(
        false,
      );
      expect(validate(fhirBody('SessionAttended', { ...resource, resourceType: 'Patient' }))).toBe(false);
      const { part2notice: _notice, ...withoutNotice } = fhirBody('SessionAttended');
      expect(validate(withoutNotice)).toBe(false);
      expect(bodyValidator('DrugScreenResultedV1')(fhirBody('DrugScreenResulted'))).toBe(false);
    });
  });
});
