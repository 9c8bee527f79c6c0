import { randomUUID } from 'node:crypto';
import { DeliveryKit } from '../testing/delivery-kit';
import { storedConsent } from '../testing/in-memory-disclosures';

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

  it('lets a disclosure through while the consent holds here and with intake', async () => {
    const row = await familyUpdate();

    expect(await kit.disclosure.refusal(row, 'family-member')).toBeUndefined();
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
    expect(await kit.disclosure.refusal(row, 'family-member')).toBe('consent-revoked');
    expect(kit.intakeChecks).toEqual([]);

    Object.assign(kit.disclosures.consents[0] ?? {}, { revokedAt: null });
    kit.intakeVerdict = () => ({ allowed: false, reason: 'no-matching-consent' });
    expect(await kit.disclosure.refusal(row, 'family-member')).toBe('no-consent');
    kit.intakeVerdict = () => ({ allowed: false, reason: 'consent-revoked' });
    expect(await kit.disclosure.refusal(row, 'family-member')).toBe('consent-revoked');
  });

  it('accounts for the disclosure with the notice it carried', async () => {
    const row = await familyUpdate();
    await kit.unitOfWork.run((tx) => kit.disclosure.record(tx, row));

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
        disclosedAt: new Date('2025-10-01T15:00:00Z'),
      },
    ]);
  });
});
