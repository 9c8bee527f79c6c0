import {
  FHIR_RESOURCE_OF_EVENT,
  FHIR_WEBHOOK_EVENT_TYPES,
  eventDefinition,
  examplePayload,
} from '@stepwise/contracts';
import { FHIR_WEBHOOK_EVENT_TYPES as BUILT_BY_FHIR, type FhirWebhookEventType } from '@stepwise/fhir';
import { r4Issues } from '@stepwise/fhir/testing';
import { type Resource } from '@medplum/fhirtypes';
import { type NotificationRow } from '../delivery/notification-store';
import { CONSENT_TERMS, DISPATCH_SETTINGS } from '../testing/delivery-kit';
import { currentDisclosureNotice } from './disclosure-notice';
import { webhookContractValidator } from '../testing/webhook-service';
import { type ClearedDisclosure } from './send-time-disclosure';
import { webhookBody } from './webhook-body';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed document

const validatorOf = webhookContractValidator;

const shortfall = examplePayload('WeeklyHoursShortfall');
const ORGANISATION = '0193a7c0-0000-7000-8000-0000000000f1';
const JSON_TARGET = {
  payload_format: 'cloudevents-json',
  organisation_id: ORGANISATION,
  recipient_kind: 'provider-organization',
};
const FHIR_TARGET = { ...JSON_TARGET, payload_format: 'fhir-r4' };
const eventId = '0193a7c0-0000-7000-8000-0000000000e5';

const row = (params: Record<string, string>): NotificationRow =>
  ({
    id: '0193a7c0-0000-7000-8000-0000000000d5',
    trigger_event_id: eventId,
    client_id: shortfall.clientId,
    site_id: shortfall.siteId,
    params: {
      eventType: 'WeeklyHoursShortfall',
      ceType: 'care.sessions.WeeklyHoursShortfall.v1',
      subject: shortfall.clientId,
      occurredAt: '2025-10-06T05:00:00.000Z',
      category: 'attendance',
      purpose: 'care-coordination',
      event: JSON.stringify(shortfall),
      ...params,
    },
  }) as unknown as NotificationRow;

/** Cleared under a consent whose terms, as intake answers them at send time, cover `categories`. */
const clearedFor = (categories: string[]): ClearedDisclosure => ({
  terms: {
    consentId: '0193a7c0-0000-7000-8000-0000000000c9',
    ...CONSENT_TERMS,
    informationCategories: categories,
  },
  notice: currentDisclosureNotice(),
  noticeUrl: DISPATCH_SETTINGS.noticeUrl,
  purpose: 'care-coordination',
});

const parsed = (built: ReturnType<typeof webhookBody>): Json => {
  if (!('body' in built)) throw new Error(`withheld: ${built.withheld}`);
  return JSON.parse(built.body) as Json;
};

describe(webhookBody.name, () => {
  it('is the published contract: a CloudEvent with the Kafka attributes, the payload and the notice', () => {
    const body = parsed(webhookBody(row({}), clearedFor(['attendance', 'level-of-care']), JSON_TARGET));
    expect(validatorOf('WeeklyHoursShortfallV1')(body)).toBe(true);
    expect(body).toMatchObject({
      id: eventId,
      type: 'care.sessions.WeeklyHoursShortfall.v1',
      source: '/stepwise/sessions',
      subject: shortfall.clientId,
      time: '2025-10-06T05:00:00.000Z',
      siteid: shortfall.siteId,
      data: {
        payload: { ...shortfall },
        disclosure: { withheldFields: [], informationCategory: 'attendance' },
      },
    });
  });

  it("leaves out what the consent covers no more (its terms at send time), still the contract's shape", () => {
    const body = parsed(webhookBody(row({}), clearedFor(['attendance']), JSON_TARGET));
    expect(validatorOf('WeeklyHoursShortfallV1')(body)).toBe(true);
    expect(body['data'].payload).not.toHaveProperty('levelOfCare');
    expect(body['data'].disclosure.withheldFields).toEqual(['levelOfCare']);
  });

  it('posts nothing when the consent no longer covers the event, or the type is not one that may leave', () => {
    expect(webhookBody(row({}), clearedFor(['schedule']), JSON_TARGET)).toEqual({ withheld: 'attendance' });
    expect(
      webhookBody(row({ eventType: 'StaffMemberUpserted' }), clearedFor(['attendance']), JSON_TARGET),
    ).toEqual({
      withheld: 'unknown-type',
    });
  });

  it('reads a delivery queued before the CloudEvents attributes were stored: latest version, client as subject', () => {
    const { ceType: _ceType, subject: _subject, ...older } = row({}).params;
    const body = parsed(
      webhookBody({ ...row({}), params: older }, clearedFor(['attendance', 'level-of-care']), JSON_TARGET),
    );
    expect(validatorOf('WeeklyHoursShortfallV1')(body)).toBe(true);
    expect([body['type'], body['subject']]).toEqual([
      'care.sessions.WeeklyHoursShortfall.v1',
      shortfall.clientId,
    ]);
  });
});

describe(`${webhookBody.name} for a fhir-r4 subscription`, () => {
  /** The example event of `type`, queued as the fan-out queues it. */
  const rowOf = (type: FhirWebhookEventType, category: string): NotificationRow => {
    const payload = examplePayload(type) as unknown as Record<string, string>;
    return row({
      eventType: type,
      ceType: eventDefinition(type).ceType,
      subject: payload['clientId'] ?? '',
      category,
      event: JSON.stringify(payload),
    });
  };
  const ALL = ['level-of-care', 'schedule', 'attendance', 'discharge-summary'];

  it('builds in libs/fhir exactly the events the contract offers as FHIR', () => {
    expect([...BUILT_BY_FHIR].sort()).toEqual([...FHIR_WEBHOOK_EVENT_TYPES].sort());
  });

  it.each(FHIR_WEBHOOK_EVENT_TYPES.map((type) => [type] as const))(
    "%s: the contract's FHIR body, its data valid R4, labelled Part 2, the notice as attributes",
    (type) => {
      const body = parsed(webhookBody(rowOf(type, 'x'), clearedFor(ALL), FHIR_TARGET));
      expect(validatorOf(`${type}V1`)(body)).toBe(true);
      expect(body).toMatchObject({
        datacontenttype: 'application/fhir+json',
        type: eventDefinition(type).ceType,
        consentid: '0193a7c0-0000-7000-8000-0000000000c9',
        part2notice: expect.stringContaining('42 CFR part 2'),
        redisclosure: CONSENT_TERMS.redisclosure.text,
        data: {
          resourceType: FHIR_RESOURCE_OF_EVENT[type],
          meta: { security: expect.arrayContaining([expect.objectContaining({ code: '42CFRPart2' })]) },
        },
      });
      expect(r4Issues(body['data'] as Resource)).toEqual([]);
      expect(body).not.toHaveProperty('data.payload');
    },
  );

  it('consent filtering holds: withheld when the consent covers the event but not the resource, or not the event', () => {
    const discharge = rowOf('ClientDischarged', 'discharge-summary');
    expect(webhookBody(discharge, clearedFor(['discharge-summary']), FHIR_TARGET)).toEqual({
      withheld: 'level-of-care',
    });
    // The same consent lets the JSON body go: it is the resource that tells the level-of-care category.
    expect(webhookBody(discharge, clearedFor(['discharge-summary']), JSON_TARGET)).toHaveProperty('body');
    expect(
      webhookBody(rowOf('SessionAttended', 'attendance'), clearedFor(['schedule']), FHIR_TARGET),
    ).toEqual({
      withheld: 'attendance',
    });
    expect(webhookBody(row({}), clearedFor(ALL), FHIR_TARGET)).toEqual({ withheld: 'unknown-type' });
  });

  it('a revoked consent goes as the Consent it revoked, scoped from the terms it was disclosed under, inactive', () => {
    const body = parsed(
      webhookBody(rowOf('ConsentRevoked', 'consent'), clearedFor(['attendance']), FHIR_TARGET),
    );
    expect(body['data']).toMatchObject({
      resourceType: 'Consent',
      status: 'inactive',
      provision: {
        class: [{ code: 'attendance' }],
        actor: [{ reference: { identifier: { value: ORGANISATION } } }],
      },
    });
  });
});
