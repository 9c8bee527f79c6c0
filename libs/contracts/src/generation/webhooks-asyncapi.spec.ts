import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { type CloudEvent, HTTP } from 'cloudevents';
import { eventDefinition } from '../registry/registry';
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from '../webhooks/webhook-events';
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
});
