import { examplePayload } from '../testing/example-events';
import { EngagementRiskReason } from '../vocabularies/sessions';
import { webhookCloudEvent } from './webhook-cloudevent';
import { disclosedPayload, isWebhookEventType, WEBHOOK_EVENT_TYPES } from './webhook-events';

describe(disclosedPayload.name, () => {
  it('withholds an event whose category the consent does not cover', () => {
    expect(disclosedPayload('SessionAttended', examplePayload('SessionAttended'), ['schedule'])).toEqual({
      withheld: 'attendance',
    });
  });

  it('delivers the whole payload when the consent covers the category and nothing more is told', () => {
    const payload = examplePayload('SessionAttended');
    expect(disclosedPayload('SessionAttended', payload, ['attendance'])).toEqual({
      payload: { ...payload },
      withheldFields: [],
    });
  });

  it('leaves out the fields that tell what the consent does not cover, and names them', () => {
    const payload = examplePayload('WeeklyHoursShortfall');
    const attendanceOnly = disclosedPayload('WeeklyHoursShortfall', payload, ['attendance']);
    expect(attendanceOnly).toEqual({
      payload: expect.not.objectContaining({ levelOfCare: expect.anything() }) as unknown,
      withheldFields: ['levelOfCare'],
    });
    expect(disclosedPayload('WeeklyHoursShortfall', payload, ['attendance', 'level-of-care'])).toEqual({
      payload: { ...payload },
      withheldFields: [],
    });
    const stepDown = disclosedPayload('StepDownRecommended', examplePayload('StepDownRecommended'), [
      'level-of-care',
      'attendance',
    ]);
    expect(stepDown).toMatchObject({ withheldFields: ['evidence'] });
  });

  it('withholds an engagement risk found in drug screens unless the consent covers drug screens', () => {
    const absences = {
      ...examplePayload('EngagementRiskDetected'),
      reason: EngagementRiskReason.ConsecutiveAbsences,
    };
    const screens = { ...absences, reason: EngagementRiskReason.PositiveScreens };
    expect(disclosedPayload('EngagementRiskDetected', absences, ['attendance'])).toMatchObject({
      withheldFields: [],
    });
    expect(disclosedPayload('EngagementRiskDetected', screens, ['attendance'])).toEqual({
      withheld: 'drug-screens',
    });
    expect(disclosedPayload('EngagementRiskDetected', screens, ['attendance', 'drug-screens'])).toMatchObject(
      {
        payload: { reason: 'positive-screens' },
      },
    );
  });

  it('covers enrollments, shortfalls, engagement risk, level-of-care changes and discharges', () => {
    for (const type of [
      'ClientEnrolled',
      'AppointmentScheduled',
      'WeeklyHoursShortfall',
      'EngagementRiskDetected',
      'LevelOfCareChanged',
      'ClientTransferred',
      'ClientDischarged',
    ])
      expect(isWebhookEventType(type)).toBe(true);
    expect(isWebhookEventType('StaffMemberUpserted')).toBe(false);
    expect(WEBHOOK_EVENT_TYPES).toHaveLength(23);
  });
});

describe(webhookCloudEvent.name, () => {
  it("carries the Kafka event's type, source, id, subject and time", () => {
    const payload = examplePayload('ClientDischarged');
    const body = webhookCloudEvent({
      type: 'ClientDischarged',
      ceType: 'care.intake.ClientDischarged.v1',
      id: '01955a00-0000-7000-8000-0000000000e1',
      time: '2025-03-03T14:00:00.000Z',
      subject: payload.clientId,
      siteId: payload.siteId,
      payload: { ...payload },
      disclosure: {} as never,
    });
    expect(body).toMatchObject({
      specversion: '1.0',
      type: 'care.intake.ClientDischarged.v1',
      source: '/stepwise/intake',
      id: '01955a00-0000-7000-8000-0000000000e1',
      subject: payload.clientId,
      siteid: payload.siteId,
      confidentiality: 'part2',
      datacontenttype: 'application/json',
    });
  });
});
