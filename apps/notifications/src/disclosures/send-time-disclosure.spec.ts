import { randomUUID } from 'node:crypto';
import { CONSENT_TERMS, DeliveryKit } from '../testing/delivery-kit';
import { storedConsent } from '../testing/in-memory-disclosures';
import { ENDED_CONSENT_REDISCLOSURE } from './send-time-disclosure';

describe('SendTimeDisclosure (re-checks and accounts for a disclosure when it is sent)', () => {
  let kit: DeliveryKit;
  const member = randomUUID();

  beforeEach(() => {
    kit = new DeliveryKit();
    kit.disclosures.consents.push(
      storedConsent(kit.clientId, {
        consentId: 'c1',
        recipientKind: 'family-member',
        recipientId: member,
        purposes: ['family-involvement'],
        categories: ['attendance'],
      }),
    );
  });

  const refusal = async (row: Awaited<ReturnType<typeof familyUpdate>>): Promise<string | undefined> =>
    (await kit.disclosure.clearance(row, 'family-member')).refused;

  /** A family update under consent c1, claimed for sending. */
  function familyUpdate() {
    return kit.claimed({
      kind: 'family-update',
      recipientId: member,
      recipientKind: 'family',
      params: {
        consentId: 'c1',
        category: 'attendance',
        purpose: 'family-involvement',
        consentRecipientId: member,
        eventType: 'SessionMissed',
      },
    });
  }

  it('lets a disclosure through while the consent holds here and with intake, with the terms it must carry', async () => {
    const row = await familyUpdate();

    expect(await kit.disclosure.clearance(row, 'family-member')).toEqual({
      cleared: {
        terms: { consentId: 'c1', ...CONSENT_TERMS },
        notice: expect.objectContaining({ version: 'part2-notice@2024' }) as unknown,
        noticeUrl: 'https://program.example.test/part2-notice',
        purpose: 'family-involvement',
      },
    });
    expect(kit.intakeChecks).toEqual([
      {
        clientId: kit.clientId,
        recipientKind: 'family-member',
        recipientId: member,
        category: 'attendance',
        purpose: 'family-involvement',
      },
    ]);
  });

  it('refuses one whose consent was revoked here without asking intake, and one intake refuses', async () => {
    const row = await familyUpdate();
    Object.assign(kit.disclosures.consents[0] ?? {}, { revokedAt: new Date('2025-09-30T00:00:00Z') });
    expect(await refusal(row)).toBe('consent-revoked');
    expect(kit.intakeChecks).toEqual([]);

    Object.assign(kit.disclosures.consents[0] ?? {}, { revokedAt: null });
    kit.intakeVerdict = () => ({ allowed: false, reason: 'no-matching-consent' });
    expect(await refusal(row)).toBe('no-consent');
    kit.intakeVerdict = () => ({ allowed: false, reason: 'consent-revoked' });
    expect(await refusal(row)).toBe('consent-revoked');
  });

  it("lets the notice of a revocation through to the recipient it names, without intake, with the ended consent's scope", async () => {
    Object.assign(kit.disclosures.consents[0] ?? {}, { revokedAt: new Date('2025-09-30T00:00:00Z') });
    const notice = await kit.claimed({
      kind: 'webhook',
      recipientId: member,
      recipientKind: 'system',
      params: {
        consentId: 'c1',
        category: 'consent',
        purpose: 'family-involvement',
        eventType: 'ConsentRevoked',
      },
    });
    expect(await kit.disclosure.clearance(notice, 'family-member')).toEqual({
      cleared: {
        terms: expect.objectContaining({
          consentId: 'c1',
          informationCategories: ['attendance'],
          purposes: ['family-involvement'],
          redisclosure: ENDED_CONSENT_REDISCLOSURE,
        }) as unknown,
        notice: expect.objectContaining({ version: 'part2-notice@2024' }) as unknown,
        noticeUrl: 'https://program.example.test/part2-notice',
        purpose: 'family-involvement',
      },
    });
    expect(kit.intakeChecks).toEqual([]);

    // Only the revocation: the grant of a revoked consent is refused like any other disclosure under it.
    const grant = await kit.claimed({
      kind: 'webhook',
      recipientId: member,
      recipientKind: 'system',
      params: {
        consentId: 'c1',
        category: 'consent',
        purpose: 'family-involvement',
        eventType: 'ConsentGranted',
      },
    });
    expect(await refusal(grant)).toBe('consent-revoked');
    // A revocation of a consent this service never heard of is no notice of anything.
    const unknown = await kit.claimed({
      kind: 'webhook',
      recipientId: member,
      recipientKind: 'system',
      params: {
        consentId: 'c2',
        category: 'consent',
        purpose: 'family-involvement',
        eventType: 'ConsentRevoked',
      },
    });
    expect(await refusal(unknown)).toBe('no-consent');
  });

  it('refuses one intake allows without the consent terms: it could not carry the notice and scope', async () => {
    const row = await familyUpdate();
    kit.intakeVerdict = () => ({ allowed: true, consentId: 'c1' });
    expect(await refusal(row)).toBe('notice-unavailable');
  });

  it('accounts for the disclosure with the notice, the consent scope and the hash of what was sent', async () => {
    const row = await familyUpdate();
    const { cleared } = await kit.disclosure.clearance(row, 'family-member');
    if (cleared === undefined) throw new Error('not cleared');
    await kit.unitOfWork.run((tx) =>
      kit.disclosure.record(tx, row, { cleared, channel: 'sms', contentSha256: 'ab'.repeat(32) }),
    );

    expect(kit.disclosures.disclosed).toEqual([
      {
        notificationId: row.id,
        clientId: kit.clientId,
        siteId: kit.siteId,
        recipientKind: 'family-member',
        recipientId: member,
        consentId: 'c1',
        purpose: 'family-involvement',
        category: 'attendance',
        eventType: 'SessionMissed',
        noticeVersion: 'part2-notice@2024',
        channel: 'sms',
        contentSha256: 'ab'.repeat(32),
        redisclosureVersion: 'redisclosure@2024',
        scope: {
          informationCategories: ['attendance', 'level-of-care'],
          purposes: ['family-involvement', 'care-coordination'],
          expiresAt: '2026-01-01T00:00:00.000Z',
          expiresOnEvent: 'discharge',
        },
        disclosedAt: new Date('2025-10-01T15:00:00Z'),
      },
    ]);
  });
});
