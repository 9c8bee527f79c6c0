import { randomUUID } from 'node:crypto';
import { NotificationErrorCode } from '@stepwise/contracts';
import { DeliveryError } from '../channels/channel';
import { contentHash } from '../disclosures/disclosure-content';
import { currentDisclosureNotice } from '../disclosures/disclosure-notice';
import { CONSENT_TERMS, DeliveryKit } from '../testing/delivery-kit';
import { storedConsent } from '../testing/in-memory-disclosures';

describe('SendMessage (sends one e-mail or SMS)', () => {
  let kit: DeliveryKit;
  let clientId: string;

  beforeEach(() => {
    kit = new DeliveryKit();
    clientId = kit.clientId;
  });

  /** Claims what is due and sends each, as a sending pass does with messages. */
  async function sendDue(): Promise<void> {
    for (const row of await kit.claimDue()) await kit.sendMessage.send(row);
  }

  it("sends a due reminder by the client's SMS, in their local time, and reports it sent", async () => {
    kit.reachable(clientId, 'sms');
    const id = await kit.reminder();
    await sendDue();

    expect(kit.state(id)).toEqual({ status: 'sent', reason: null, attempts: 1 });
    expect(kit.sms.sent).toHaveLength(1);
    expect(kit.sms.sent[0]?.to).toBe(`${clientId}@sms`);
    expect(kit.sms.sent[0]?.text).toContain('12:00');
    // The channel is told which notification it sends (e-mail makes its Message-ID from it).
    expect(kit.sms.sent[0]?.notificationId).toBe(id);
    expect(kit.unitOfWork.published).toEqual([
      {
        type: 'NotificationSent',
        payload: expect.objectContaining({
          notificationId: id,
          recipientKind: 'client',
          channel: 'sms',
          sentAt: '2025-10-01T15:00:00.000Z',
        }) as unknown,
      },
    ]);
    expect(kit.table.history(id)).toEqual(['queued', 'sent']);
  });

  it('suppresses a routine notification to a recipient who opted out, but sends an urgent alert and arms its escalation', async () => {
    const staffId = randomUUID();
    kit.reachable(clientId, 'sms');
    kit.reachable(staffId, 'email');
    for (const recipientId of [clientId, staffId])
      kit.preferences.set(recipientId, {
        recipient_id: recipientId,
        recipient_kind: 'client',
        site_id: kit.siteId,
        channels: [],
        quiet_start: null,
        quiet_end: null,
        time_zone: null,
        preferred_language: null,
        opted_out: true,
      });
    const routine = await kit.reminder();
    const urgent = await kit.queue({
      kind: 'alert',
      recipientId: staffId,
      recipientKind: 'staff',
      templateCode: 'clinical-alert-urgent',
      params: { alert: 'urgent-screening-flag' },
      urgent: true,
      requiresAck: true,
    });
    await sendDue();

    expect(kit.state(routine)).toMatchObject({ status: 'suppressed', reason: 'opted-out' });
    expect(kit.state(urgent)).toMatchObject({ status: 'sent' });
    expect(kit.table.byId(urgent)?.escalate_at?.toISOString()).toBe('2025-10-01T15:01:00.000Z');
    expect(kit.events()).toEqual([
      ['NotificationSuppressed', 'opted-out'],
      ['NotificationSent', undefined],
    ]);
  });

  it('defers a routine notification to the end of quiet hours, reporting the deferral once, then sends it', async () => {
    kit.clock.set('2025-10-01T03:00:00Z'); // 22:00 in Chicago
    kit.reachable(clientId, 'email');
    const id = await kit.queue({
      kind: 'family-update',
      recipientKind: 'client',
      channel: 'email',
      templateCode: 'family-update',
      params: { consentId: 'c1', category: 'attendance' },
    });
    kit.disclosures.consents.push(
      storedConsent(clientId, {
        consentId: 'c1',
        recipientKind: 'family-member',
        recipientId: clientId,
        purposes: ['family-involvement'],
        categories: ['attendance'],
      }),
    );
    await sendDue();
    expect(kit.state(id)).toEqual({ status: 'queued', reason: null, attempts: 0 });
    expect(kit.table.byId(id)?.due_at.toISOString()).toBe('2025-10-01T13:00:00.000Z');
    expect(kit.timers.set).toEqual([{ id, dueAt: '2025-10-01T13:00:00.000Z' }]);

    kit.clock.set('2025-10-01T13:00:00Z');
    await sendDue();

    expect(kit.state(id)).toMatchObject({ status: 'sent' });
    expect(kit.email.sent).toHaveLength(1);
    expect(kit.events()).toEqual([
      ['NotificationSuppressed', 'quiet-hours-deferred'],
      ['NotificationSent', undefined],
    ]);
    expect(kit.disclosures.disclosed).toEqual([
      expect.objectContaining({ notificationId: id, consentId: 'c1', category: 'attendance' }),
    ]);
  });

  it('suppresses as expired a reminder reached after its appointment began, and one quiet hours would hold past it', async () => {
    kit.reachable(clientId, 'sms');
    kit.clock.set('2025-10-01T17:30:00Z');
    const late = await kit.reminder();
    await sendDue();
    expect(kit.state(late)).toMatchObject({ status: 'suppressed', reason: 'expired' });

    kit.clock.set('2025-10-02T03:00:00Z'); // 22:00 in Chicago, the appointment at 07:00 the next morning
    const held = await kit.queue({
      kind: 'reminder',
      templateCode: 'appointment-reminder-2h',
      params: { startsAt: '2025-10-02T12:00:00Z' },
    });
    await sendDue();
    expect(kit.state(held)).toMatchObject({ status: 'suppressed', reason: 'quiet-hours-deferred' });
    expect(kit.sms.sent).toEqual([]);
  });

  it('fails a notification whose recipient has no contact, as invalid-destination', async () => {
    const id = await kit.reminder();
    await sendDue();

    expect(kit.state(id)).toEqual({
      status: 'failed',
      reason: 'invalid-destination:no-contact',
      attempts: 1,
    });
    expect(kit.unitOfWork.published[0]).toMatchObject({
      type: 'NotificationFailed',
      payload: { errorCode: 'invalid-destination', attempts: 1, channel: 'sms' },
    });
  });

  it('checks a family update with intake at send time: a revocation intake knows of suppresses it', async () => {
    const member = randomUUID();
    kit.reachable(member, 'email');
    kit.disclosures.consents.push(
      storedConsent(clientId, {
        consentId: 'c2',
        recipientKind: 'family-member',
        recipientId: member,
        purposes: ['family-involvement'],
        categories: ['attendance'],
      }),
    );
    kit.intakeVerdict = () => ({ allowed: false, reason: 'consent-revoked' });
    const params = {
      consentId: 'c2',
      category: 'attendance',
      purpose: 'family-involvement',
      consentRecipientId: member,
    };
    const id = await kit.queue({
      kind: 'family-update',
      recipientId: member,
      recipientKind: 'family',
      templateCode: 'family-update',
      params,
    });
    await sendDue();

    expect(kit.intakeChecks).toEqual([
      {
        clientId,
        recipientKind: 'family-member',
        recipientId: member,
        category: 'attendance',
        purpose: 'family-involvement',
      },
    ]);
    expect(kit.state(id)).toMatchObject({ status: 'suppressed', reason: 'consent-revoked' });
    expect(kit.email.sent).toEqual([]);
    expect(kit.disclosures.disclosed).toEqual([]);
  });

  describe('a family update (a disclosure) carries the §2.32 notice and the consent scope in its channel form', () => {
    const member = randomUUID();

    async function familyUpdate(channel: 'email' | 'sms'): Promise<string> {
      kit.reachable(member, channel);
      kit.disclosures.consents.push(
        storedConsent(clientId, {
          consentId: 'c7',
          recipientKind: 'family-member',
          recipientId: member,
          purposes: ['family-involvement'],
          categories: ['attendance'],
        }),
      );
      const id = await kit.queue({
        kind: 'family-update',
        recipientId: member,
        recipientKind: 'family',
        channel,
        templateCode: 'family-update',
        params: {
          consentId: 'c7',
          category: 'attendance',
          purpose: 'family-involvement',
          consentRecipientId: member,
          eventType: 'SessionAttended',
        },
      });
      await sendDue();
      return id;
    }

    /** The sent step of the delivery log, and the accounting record, both hold `sha256`. */
    function expectRecorded(id: string, channel: string, sha256: string): void {
      expect(kit.table.log.filter((step) => step.id === id && step.status === 'sent')).toEqual([
        expect.objectContaining({ channel, contentSha256: sha256, noticeVersion: 'part2-notice@2024' }),
      ]);
      expect(kit.disclosures.disclosed).toEqual([
        expect.objectContaining({
          notificationId: id,
          consentId: 'c7',
          channel,
          contentSha256: sha256,
          noticeVersion: 'part2-notice@2024',
          redisclosureVersion: 'redisclosure@2024',
        }),
      ]);
    }

    it('by SMS: the scope, the short statement and where the full notice is; no claim of another channel', async () => {
      const id = await familyUpdate('sms');
      const [sms] = kit.sms.sent;
      expect(sms?.text).toBe(
        'There is an update about attendance you were given permission to receive. Shared with consent ' +
          '(attendance, level of care; for family involvement; until 2026-01-01 or discharge, if sooner). ' +
          `${currentDisclosureNotice().short} Full notice: https://program.example.test/part2-notice`,
      );
      expect(sms?.text).not.toMatch(/e-?mail/i);
      expect(kit.email.sent).toEqual([]);
      expectRecorded(id, 'sms', contentHash(sms?.text ?? ''));
    });

    it('by e-mail: the full notice, the scope and the redisclosure statement', async () => {
      const id = await familyUpdate('email');
      const [mail] = kit.email.sent;
      expect(mail?.text).toContain(currentDisclosureNotice().text);
      expect(mail?.text).toContain(CONSENT_TERMS.redisclosure.text);
      expect(mail?.text).toContain(
        "This is shared with the client's written consent (reference c7). It covers: attendance, level of care; " +
          'for: family involvement, care coordination (this message: family involvement); valid until ' +
          '2026-01-01 or discharge, if sooner.',
      );
      expect(kit.sms.sent).toEqual([]);
      expectRecorded(id, 'email', contentHash(mail?.text ?? '', mail?.subject));
    });

    it('is not made when intake gives no consent terms to carry: refused as notice-unavailable and logged', async () => {
      kit.intakeVerdict = () => ({ allowed: true, consentId: 'c7' });
      const id = await familyUpdate('sms');
      expect(kit.state(id)).toMatchObject({ status: 'suppressed', reason: 'notice-unavailable' });
      expect(
        kit.table.log.filter((step) => step.id === id).map((step) => [step.status, step.reason]),
      ).toEqual([
        ['queued', null],
        ['suppressed', 'notice-unavailable'],
      ]);
      expect(kit.sms.sent).toEqual([]);
      expect(kit.disclosures.disclosed).toEqual([]);
      expect(kit.events()).toEqual([['NotificationSuppressed', 'notice-unavailable']]);
    });
  });

  it('queues a message its channel could not take again for a retry, and fails one with an unknown template', async () => {
    kit.reachable(clientId, 'sms');
    kit.sms.failure = new DeliveryError(NotificationErrorCode.ProviderUnavailable, true, 'http-503');
    const id = await kit.reminder();
    await sendDue();
    expect(kit.state(id)).toEqual({ status: 'queued', reason: 'http-503', attempts: 1 });

    kit.sms.failure = undefined;
    const broken = await kit.queue({ kind: 'reminder', templateCode: 'no-such-template' });
    await sendDue();
    expect(kit.state(broken)).toEqual({ status: 'failed', reason: 'template-error:template', attempts: 1 });
  });
});
