import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { examplePayload } from '@stepwise/contracts';
import { workspaceRoot } from '@stepwise/testing';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { type NotificationRow } from '../delivery/notification-store';
import { CONSENT_TERMS, DISPATCH_SETTINGS } from '../testing/delivery-kit';
import { currentDisclosureNotice } from './disclosure-notice';
import { type ClearedDisclosure } from './send-time-disclosure';
import { webhookBody } from './webhook-body';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed document

/** The published webhook contract, as a receiver reads it: one validator per message. */
const contract = JSON.parse(
  readFileSync(join(workspaceRoot(), 'libs/contracts/generated/webhooks.asyncapi.json'), 'utf8'),
) as Json;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ components: contract['components'] as Json }, 'contract');
const validatorOf = (message: string) =>
  ajv.compile({
    $ref: (contract['components'].messages[message].payload.$ref as string).replace('#', 'contract#'),
  });

const shortfall = examplePayload('WeeklyHoursShortfall');
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
    const body = parsed(webhookBody(row({}), clearedFor(['attendance', 'level-of-care'])));
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
    const body = parsed(webhookBody(row({}), clearedFor(['attendance'])));
    expect(validatorOf('WeeklyHoursShortfallV1')(body)).toBe(true);
    expect(body['data'].payload).not.toHaveProperty('levelOfCare');
    expect(body['data'].disclosure.withheldFields).toEqual(['levelOfCare']);
  });

  it('posts nothing when the consent no longer covers the event, or the type is not one that may leave', () => {
    expect(webhookBody(row({}), clearedFor(['schedule']))).toEqual({ withheld: 'attendance' });
    expect(webhookBody(row({ eventType: 'StaffMemberUpserted' }), clearedFor(['attendance']))).toEqual({
      withheld: 'unknown-type',
    });
  });

  it('reads a delivery queued before the CloudEvents attributes were stored: latest version, client as subject', () => {
    const { ceType: _ceType, subject: _subject, ...older } = row({}).params;
    const body = parsed(
      webhookBody({ ...row({}), params: older }, clearedFor(['attendance', 'level-of-care'])),
    );
    expect(validatorOf('WeeklyHoursShortfallV1')(body)).toBe(true);
    expect([body['type'], body['subject']]).toEqual([
      'care.sessions.WeeklyHoursShortfall.v1',
      shortfall.clientId,
    ]);
  });
});
