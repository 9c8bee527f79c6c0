import { CloudEvent, Kafka, type KafkaMessage } from 'cloudevents';
import { EVENT_TYPES, type EventTypeName } from '../registry/registry';
import { EXAMPLE_IDS, examplePayload } from '../testing/example-events';
import { decodeEvent } from './decode';
import { createEventEncoder } from './encode';

/**
 * Interoperability with the official CloudEvents SDK (Kafka protocol binding, binary mode): what we write, it
 * reads with the same attributes and data; what it writes, we read.
 */
const EVENT_ID = '01955a00-0000-7000-8000-0000000000b1';
const CAUSE_ID = '01955a00-0000-7000-8000-0000000000b2';
const CORRELATION_ID = '01955a00-0000-7000-8000-0000000000b3';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const encode = createEventEncoder({ now: () => new Date('2025-03-03T14:00:00.000Z'), newId: () => EVENT_ID });

describe('CloudEvents SDK interoperability (Kafka binding)', () => {
  it.each(EVENT_TYPES.map((type) => [type] as const))(
    'the SDK reads our %s with the same attributes and data',
    (type: EventTypeName) => {
      const message = encode(type, examplePayload(type), {
        causedBy: { id: CAUSE_ID, correlationId: CORRELATION_ID },
        traceparent: TRACEPARENT,
        siteId: EXAMPLE_IDS.site,
      });
      const kafkaMessage: KafkaMessage<Buffer> = {
        key: message.key,
        value: message.value,
        headers: { ...message.headers },
        body: message.value,
      };
      expect(Kafka.isEvent(kafkaMessage)).toBe(true);
      const event = Kafka.toEvent(kafkaMessage) as CloudEvent<unknown>;
      // validate() throws when the SDK considers the event invalid under CloudEvents 1.0.
      expect(event.validate()).toBe(true);
      expect({
        specversion: event.specversion,
        id: event.id,
        source: event.source,
        type: event.type,
        time: event.time,
        subject: event.subject,
        datacontenttype: event.datacontenttype,
        partitionkey: event['partitionkey'],
        siteid: event['siteid'],
        correlationid: event['correlationid'],
        causationid: event['causationid'],
        confidentiality: event['confidentiality'],
      }).toEqual({
        specversion: '1.0',
        id: EVENT_ID,
        source: message.headers['ce_source'],
        type: message.headers['ce_type'],
        time: '2025-03-03T14:00:00.000Z',
        subject: message.key,
        datacontenttype: 'application/json',
        partitionkey: message.key,
        siteid: EXAMPLE_IDS.site,
        correlationid: CORRELATION_ID,
        causationid: CAUSE_ID,
        confidentiality: message.headers['ce_confidentiality'],
      });
      expect(event.data).toEqual(examplePayload(type));
    },
  );

  it('reads an event written by the SDK', () => {
    const payload = examplePayload('SessionAttended');
    const sdkEvent = new CloudEvent({
      specversion: '1.0',
      id: EVENT_ID,
      source: '/stepwise/sessions',
      type: 'care.sessions.SessionAttended.v1',
      time: '2025-03-03T23:10:00.000Z',
      subject: payload.clientId,
      datacontenttype: 'application/json',
      data: payload,
      partitionkey: payload.clientId,
      siteid: payload.siteId,
      correlationid: CORRELATION_ID,
      causationid: CAUSE_ID,
      confidentiality: 'part2',
      traceparent: TRACEPARENT,
    });
    const written = Kafka.binary(sdkEvent);
    // The SDK leaves JSON data as an object; a Kafka producer sends bytes, so serialise as any producer must.
    const value = Buffer.isBuffer(written.value) ? written.value : Buffer.from(JSON.stringify(written.value));
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(written.headers)) {
      if (typeof header === 'string') headers[name] = header;
    }

    const event = decodeEvent({ key: written.key, value, headers }, { topic: 'sessions.events.v1' });

    expect(event).toMatchObject({
      type: 'SessionAttended',
      version: 1,
      id: EVENT_ID,
      source: '/stepwise/sessions',
      time: '2025-03-03T23:10:00.000Z',
      key: payload.clientId,
      siteId: payload.siteId,
      correlationId: CORRELATION_ID,
      causationId: CAUSE_ID,
      confidentiality: 'part2',
      // The SDK writes the tracing extension as ce_traceparent; the library accepts it there too.
      traceparent: TRACEPARENT,
    });
    expect(event.data).toEqual(payload);
  });

  it('rejects an SDK event whose data breaks the contract', () => {
    const payload = { ...examplePayload('SessionAttended'), minutesAttended: -5 };
    const written = Kafka.binary(
      new CloudEvent({
        id: EVENT_ID,
        source: '/stepwise/sessions',
        type: 'care.sessions.SessionAttended.v1',
        time: '2025-03-03T23:10:00.000Z',
        subject: payload.clientId,
        datacontenttype: 'application/json',
        data: payload,
        partitionkey: payload.clientId,
        siteid: payload.siteId,
        correlationid: CORRELATION_ID,
        confidentiality: 'part2',
      }),
    );
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(written.headers)) {
      if (typeof header === 'string') headers[name] = header;
    }
    expect(() =>
      decodeEvent({ key: written.key, value: Buffer.from(JSON.stringify(written.value)), headers }),
    ).toThrow(/INVALID_PAYLOAD: .*minutesAttended \[min\]/);
  });
});
