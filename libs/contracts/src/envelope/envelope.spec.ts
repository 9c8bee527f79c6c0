import { EXAMPLE_IDS, examplePayload } from '../testing/example-events';
import { type EventTypeName, EVENT_TYPES } from '../registry/registry';
import { ContractViolation, ContractViolationCode } from './contract-violation';
import { decodeEvent, type IncomingMessage } from './decode';
import { createEventEncoder, encodeEvent, type EncodedMessage, type EnvelopeEnvironment } from './encode';

const EVENT_ID = '01955a00-0000-7000-8000-0000000000a1';
const CAUSE_ID = '01955a00-0000-7000-8000-0000000000a2';
const CORRELATION_ID = '01955a00-0000-7000-8000-0000000000a3';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const NOW = new Date('2025-03-03T14:00:00.000Z');

const fixedEnvironment: EnvelopeEnvironment = { now: () => NOW, newId: () => EVENT_ID };
const encode = createEventEncoder(fixedEnvironment);

function admitted(): EncodedMessage {
  return encode('ClientAdmitted', examplePayload('ClientAdmitted'), {
    causedBy: { id: CAUSE_ID, correlationId: CORRELATION_ID },
    traceparent: TRACEPARENT,
  });
}

/** The record as a Kafka client hands it to a consumer: headers and key as Buffers. */
function asConsumed(message: EncodedMessage): {
  key: Buffer;
  value: Buffer;
  headers: Record<string, Buffer>;
} {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(message.headers)) headers[name] = Buffer.from(value);
  return { key: Buffer.from(message.key), value: message.value, headers };
}

function withHeaders(
  message: EncodedMessage,
  change: (headers: Record<string, string | undefined>) => void,
): IncomingMessage {
  const headers: Record<string, string | undefined> = { ...message.headers };
  change(headers);
  return { key: message.key, value: message.value, headers };
}

function violationOf(decode: () => unknown): ContractViolation {
  try {
    decode();
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
  throw new Error('expected a ContractViolation, but nothing was thrown');
}

describe('encodeEvent', () => {
  it('writes CloudEvents binary-mode headers, the JSON payload and the record key', () => {
    const message = admitted();
    expect(message.topic).toBe('intake.events.v1');
    expect(message.key).toBe(EXAMPLE_IDS.client);
    expect(message.headers).toEqual({
      ce_id: EVENT_ID,
      ce_source: '/stepwise/intake',
      ce_type: 'care.intake.ClientAdmitted.v1',
      ce_specversion: '1.0',
      ce_time: '2025-03-03T14:00:00.000Z',
      ce_subject: EXAMPLE_IDS.client,
      ce_siteid: EXAMPLE_IDS.site,
      ce_correlationid: CORRELATION_ID,
      ce_causationid: CAUSE_ID,
      ce_confidentiality: 'part2',
      'content-type': 'application/json',
      traceparent: TRACEPARENT,
    });
    expect(JSON.parse(message.value.toString('utf8'))).toEqual(examplePayload('ClientAdmitted'));
  });

  it('keys each event by its catalogue key field', () => {
    expect(encode('ReferralReceived', examplePayload('ReferralReceived')).key).toBe(EXAMPLE_IDS.referral);
    expect(encode('SiteUpserted', examplePayload('SiteUpserted')).key).toBe(EXAMPLE_IDS.site);
    expect(encode('NotificationFailed', examplePayload('NotificationFailed')).key).toBe(
      EXAMPLE_IDS.counselor,
    );
  });

  it('starts a new correlation chain when there is no cause, and omits what is unknown', () => {
    const message = encode('NotificationSent', examplePayload('NotificationSent'));
    expect(message.headers['ce_correlationid']).toBe(EVENT_ID);
    expect(message.headers).not.toHaveProperty('ce_causationid');
    expect(message.headers).not.toHaveProperty('traceparent');
    // No siteId in a notification payload and none given: no ce_siteid.
    expect(message.headers).not.toHaveProperty('ce_siteid');
    expect(message.headers['ce_confidentiality']).toBe('internal');
  });

  it('takes id, time, correlation, causation and site from the caller', () => {
    const message = encode('NotificationSent', examplePayload('NotificationSent'), {
      id: CAUSE_ID,
      time: new Date('2025-01-01T00:00:00.000Z'),
      correlationId: CORRELATION_ID,
      causationId: EVENT_ID,
      siteId: EXAMPLE_IDS.site,
    });
    expect(message.headers).toMatchObject({
      ce_id: CAUSE_ID,
      ce_time: '2025-01-01T00:00:00.000Z',
      ce_correlationid: CORRELATION_ID,
      ce_causationid: EVENT_ID,
      ce_siteid: EXAMPLE_IDS.site,
    });
  });

  it('defaults to the system clock and UUIDv7 ids', () => {
    const before = Date.now();
    const message = encodeEvent('ConsentRevoked', examplePayload('ConsentRevoked'));
    const time = Date.parse(message.headers['ce_time'] ?? '');
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
    expect(message.headers['ce_id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('refuses to publish an invalid payload, naming the property', () => {
    const payload = { ...examplePayload('ClientAdmitted'), population: 'senior' } as never;
    const violation = violationOf(() => encode('ClientAdmitted', payload));
    expect(violation.code).toBe(ContractViolationCode.InvalidPayload);
    expect(violation.details.violations?.map((v) => [v.path, v.constraint])).toEqual([
      ['population', 'isEnum'],
    ]);
  });

  it('refuses a malformed traceparent, a non-UUID id and an invalid time', () => {
    const payload = examplePayload('ConsentRevoked');
    const cases: Array<[Parameters<typeof encode>[2], string]> = [
      [{ traceparent: '00-abc-01' }, 'traceparent'],
      [{ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }, 'traceparent'],
      [{ id: 'event-1' }, 'ce_id'],
      [{ correlationId: 'chain' }, 'ce_correlationid'],
      [{ time: new Date('not a date') }, 'ce_time'],
    ];
    for (const [options, header] of cases) {
      const violation = violationOf(() => encode('ConsentRevoked', payload, options));
      expect({ header: violation.details.header, code: violation.code }).toEqual({
        header,
        code: ContractViolationCode.InvalidHeader,
      });
    }
  });

  it('refuses a siteId option that contradicts the payload', () => {
    const violation = violationOf(() =>
      encode('ClientAdmitted', examplePayload('ClientAdmitted'), { siteId: EXAMPLE_IDS.network }),
    );
    expect(violation.code).toBe(ContractViolationCode.SiteMismatch);
  });
});

describe('decodeEvent', () => {
  it.each(EVENT_TYPES.map((type) => [type] as const))('round-trips %s', (type: EventTypeName) => {
    const message = encode(type, examplePayload(type), { traceparent: TRACEPARENT });
    const event = decodeEvent(asConsumed(message), { topic: message.topic });
    expect(event.type).toBe(type);
    // Plain data, exactly as on the wire: no class instances, no undefined placeholders for absent fields.
    expect(event.data).toStrictEqual(JSON.parse(message.value.toString('utf8')));
    expect(event.data).toEqual(examplePayload(type));
    expect(event.key).toBe(message.key);
  });

  it('returns the attributes of the envelope, typed by event type', () => {
    const event = decodeEvent(asConsumed(admitted()));
    expect(event).toMatchObject({
      type: 'ClientAdmitted',
      version: 1,
      ceType: 'care.intake.ClientAdmitted.v1',
      id: EVENT_ID,
      source: '/stepwise/intake',
      time: '2025-03-03T14:00:00.000Z',
      key: EXAMPLE_IDS.client,
      siteId: EXAMPLE_IDS.site,
      correlationId: CORRELATION_ID,
      causationId: CAUSE_ID,
      confidentiality: 'part2',
      traceparent: TRACEPARENT,
    });
    if (event.type !== 'ClientAdmitted') throw new Error('narrowing failed');
    // Typed access: `levelOfCare` exists only on ClientAdmitted's payload.
    expect(event.data.levelOfCare).toBe('2.1');
  });

  it('accepts string headers, header names in any case and a JSON content type with parameters', () => {
    const message = admitted();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers)) headers[name.toUpperCase()] = value;
    headers['CONTENT-TYPE'] = 'application/json; charset=utf-8';
    expect(decodeEvent({ key: message.key, value: message.value.toString(), headers }).type).toBe(
      'ClientAdmitted',
    );
  });

  it('ignores unknown extra headers', () => {
    const message = withHeaders(admitted(), (headers) => {
      headers['ce_partitionkey'] = 'anything';
      headers['x-retry-count'] = '3';
    });
    expect(decodeEvent(message).type).toBe('ClientAdmitted');
  });

  describe('rejects, case by case', () => {
    const required = [
      'ce_id',
      'ce_source',
      'ce_type',
      'ce_specversion',
      'ce_time',
      'ce_subject',
      'ce_correlationid',
      'ce_confidentiality',
      'content-type',
      // ClientAdmitted has a siteId, so its ce_siteid is required too.
      'ce_siteid',
    ];

    it.each(required.map((header) => [header]))('a missing %s header as MISSING_HEADER', (header) => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            delete headers[header];
          }),
        ),
      );
      expect({ code: violation.code, header: violation.details.header }).toEqual({
        code: ContractViolationCode.MissingHeader,
        header,
      });
    });

    it.each(required.map((header) => [header]))('an empty %s header as MISSING_HEADER', (header) => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            headers[header] = '';
          }),
        ),
      );
      expect(violation.code).toBe(ContractViolationCode.MissingHeader);
    });

    it('a message without headers at all as MISSING_HEADER', () => {
      const message = admitted();
      expect(violationOf(() => decodeEvent({ key: message.key, value: message.value })).code).toBe(
        ContractViolationCode.MissingHeader,
      );
    });

    it.each([['0.3'], ['1.1'], ['2.0'], ['1']])('ce_specversion %s as UNSUPPORTED_SPECVERSION', (version) => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            headers['ce_specversion'] = version;
          }),
        ),
      );
      expect(violation.code).toBe(ContractViolationCode.UnsupportedSpecVersion);
      expect(violation.details).toMatchObject({
        header: 'ce_specversion',
        expected: '1.0',
        received: version,
      });
    });

    it.each([
      ['an unknown name', 'care.intake.ClientAdmittedd.v1'],
      ['a known name under another service', 'care.sessions.ClientAdmitted.v1'],
      ['an unknown service', 'care.billing.ClaimSubmitted.v1'],
    ])('%s as UNKNOWN_EVENT_TYPE', (_case, ceType) => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            headers['ce_type'] = ceType;
          }),
        ),
      );
      expect(violation.code).toBe(ContractViolationCode.UnknownEventType);
      expect(violation.details.ceType).toBe(ceType);
    });

    it.each([['care.intake.ClientAdmitted.v2'], ['care.intake.ClientAdmitted.v17']])(
      'a known type in an unknown version (%s) as UNKNOWN_EVENT_VERSION',
      (ceType) => {
        const violation = violationOf(() =>
          decodeEvent(
            withHeaders(admitted(), (headers) => {
              headers['ce_type'] = ceType;
            }),
          ),
        );
        expect(violation.code).toBe(ContractViolationCode.UnknownEventVersion);
        expect(violation.message).toContain('known: v1');
      },
    );

    it.each([
      ['ClientAdmitted'],
      ['care.intake.ClientAdmitted'],
      ['care.intake.ClientAdmitted.v0'],
      ['com.example.x'],
    ])('a malformed ce_type (%s) as INVALID_HEADER', (ceType) => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            headers['ce_type'] = ceType;
          }),
        ),
      );
      expect({ code: violation.code, header: violation.details.header }).toEqual({
        code: ContractViolationCode.InvalidHeader,
        header: 'ce_type',
      });
    });

    it.each([
      ['ce_id', 'not-a-uuid'],
      ['ce_time', '2025-03-03 14:00'],
      ['ce_time', '2025-02-30T14:00:00Z'],
      ['ce_correlationid', '42'],
      ['ce_causationid', 'cause'],
      ['ce_siteid', 'site-1'],
      ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7'],
      ['traceparent', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ])('a malformed %s (%s) as INVALID_HEADER', (header, value) => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            headers[header] = value;
          }),
        ),
      );
      expect({ code: violation.code, header: violation.details.header }).toEqual({
        code: ContractViolationCode.InvalidHeader,
        header,
      });
    });

    it('a repeated header as INVALID_HEADER', () => {
      const message = admitted();
      const violation = violationOf(() =>
        decodeEvent({
          key: message.key,
          value: message.value,
          headers: { ...message.headers, ce_id: [Buffer.from(EVENT_ID), Buffer.from(CAUSE_ID)] },
        }),
      );
      expect({ code: violation.code, header: violation.details.header }).toEqual({
        code: ContractViolationCode.InvalidHeader,
        header: 'ce_id',
      });
    });

    it.each([['text/plain'], ['application/cloudevents+json'], ['application/xml']])(
      'content-type %s as UNSUPPORTED_CONTENT_TYPE',
      (contentType) => {
        const violation = violationOf(() =>
          decodeEvent(
            withHeaders(admitted(), (headers) => {
              headers['content-type'] = contentType;
            }),
          ),
        );
        expect(violation.code).toBe(ContractViolationCode.UnsupportedContentType);
      },
    );

    it('a source that does not own the type as SOURCE_MISMATCH', () => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            headers['ce_source'] = '/stepwise/sessions';
          }),
        ),
      );
      expect(violation.code).toBe(ContractViolationCode.SourceMismatch);
    });

    it('a wrong confidentiality class as CONFIDENTIALITY_MISMATCH', () => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            headers['ce_confidentiality'] = 'internal';
          }),
        ),
      );
      expect(violation.code).toBe(ContractViolationCode.ConfidentialityMismatch);
    });

    it('an event read from a topic it does not belong on as WRONG_TOPIC', () => {
      const violation = violationOf(() =>
        decodeEvent(asConsumed(admitted()), { topic: 'sessions.events.v1' }),
      );
      expect(violation.code).toBe(ContractViolationCode.WrongTopic);
      expect(violation.details).toMatchObject({
        expected: 'intake.events.v1',
        received: 'sessions.events.v1',
      });
    });

    it.each([[null], [undefined]])('a %s value (tombstone) as NULL_VALUE', (value) => {
      const message = admitted();
      expect(violationOf(() => decodeEvent({ ...message, value })).code).toBe(
        ContractViolationCode.NullValue,
      );
    });

    it.each([
      ['truncated JSON', Buffer.from('{"episodeId":')],
      ['plain text', Buffer.from('client admitted')],
      ['an empty value', Buffer.alloc(0)],
      ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
    ])('%s as NOT_JSON', (_case, value) => {
      const message = admitted();
      expect(violationOf(() => decodeEvent({ ...message, value })).code).toBe(ContractViolationCode.NotJson);
    });

    it.each([
      ['JSON null', 'null'],
      ['a JSON array', '[]'],
      ['a JSON string', '"x"'],
    ])('%s as INVALID_PAYLOAD', (_case, value) => {
      const message = admitted();
      const violation = violationOf(() => decodeEvent({ ...message, value: Buffer.from(value) }));
      expect(violation.code).toBe(ContractViolationCode.InvalidPayload);
      expect(violation.details.violations).toEqual([
        { path: '', constraint: 'isObject', message: 'payload must be a JSON object' },
      ]);
    });

    it('a schema-invalid payload as INVALID_PAYLOAD naming each property and constraint', () => {
      const message = admitted();
      const data = { ...examplePayload('ClientAdmitted'), admittedAt: '2025-02-30', extra: 1 } as Record<
        string,
        unknown
      >;
      delete data['programTrackId'];
      const violation = violationOf(() =>
        decodeEvent({ ...message, value: Buffer.from(JSON.stringify(data)) }),
      );
      expect(violation.code).toBe(ContractViolationCode.InvalidPayload);
      expect(violation.details.violations?.map((v) => `${v.path}:${v.constraint}`)).toEqual([
        'admittedAt:isInstant',
        'extra:whitelistValidation',
        'programTrackId:isUuid',
      ]);
    });

    it.each([[null], [''], [undefined]])('a missing record key (%s) as MISSING_KEY', (key) => {
      const message = admitted();
      expect(violationOf(() => decodeEvent({ ...message, key })).code).toBe(ContractViolationCode.MissingKey);
    });

    it('a record key that is not the payload key field as KEY_MISMATCH', () => {
      const message = admitted();
      const violation = violationOf(() => decodeEvent({ ...message, key: EXAMPLE_IDS.episode }));
      expect(violation.code).toBe(ContractViolationCode.KeyMismatch);
      expect(violation.details).toMatchObject({
        expected: EXAMPLE_IDS.client,
        received: EXAMPLE_IDS.episode,
      });
    });

    it('a ce_subject that is not the record key as SUBJECT_MISMATCH', () => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            headers['ce_subject'] = EXAMPLE_IDS.episode;
          }),
        ),
      );
      expect(violation.code).toBe(ContractViolationCode.SubjectMismatch);
    });

    it('a ce_siteid that is not the payload siteId as SITE_MISMATCH', () => {
      const violation = violationOf(() =>
        decodeEvent(
          withHeaders(admitted(), (headers) => {
            headers['ce_siteid'] = EXAMPLE_IDS.network;
          }),
        ),
      );
      expect(violation.code).toBe(ContractViolationCode.SiteMismatch);
    });
  });

  it('marks every contract violation as not retryable', () => {
    const violation = violationOf(() => decodeEvent({ key: 'k', value: null }));
    expect(violation.retryable).toBe(false);
    expect(violation.name).toBe('ContractViolation');
    expect(violation.message).toMatch(/^NULL_VALUE: /);
  });
});

describe('versions', () => {
  it('publishes the latest version by default and refuses a version that does not exist', () => {
    expect(
      encode('ClientAdmitted', examplePayload('ClientAdmitted'), { version: 1 }).headers['ce_type'],
    ).toBe('care.intake.ClientAdmitted.v1');
    const violation = violationOf(() =>
      encode('ClientAdmitted', examplePayload('ClientAdmitted'), { version: 2 }),
    );
    expect(violation.code).toBe(ContractViolationCode.UnknownEventVersion);
  });
});
