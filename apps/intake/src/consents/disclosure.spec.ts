import { ConsentPurpose, InformationCategory, RecipientKind } from '@stepwise/contracts';
import {
  type ConsentFacts,
  DisclosureRefusal,
  type DisclosureRequest,
  SUD_COUNSELING_NOTES,
  decideDisclosure,
} from './disclosure';

const NOW = new Date('2026-03-10T12:00:00Z');
const RECIPIENT = '0196a1b2-0000-7000-8000-0000000000f1';

const consent = (overrides: Partial<ConsentFacts> = {}): ConsentFacts => ({
  id: 'c1',
  recipientKind: RecipientKind.FamilyMember,
  recipientId: RECIPIENT,
  categories: [InformationCategory.Attendance, InformationCategory.Schedule],
  purposes: [ConsentPurpose.FamilyInvolvement],
  grantedAt: new Date('2026-03-01T00:00:00Z'),
  expiresAt: new Date('2026-09-01T00:00:00Z'),
  revokedAt: null,
  endedByEvent: false,
  expiryEvent: null,
  redisclosure: null,
  ...overrides,
});

const request: DisclosureRequest = {
  recipientKind: RecipientKind.FamilyMember,
  recipientId: RECIPIENT,
  category: InformationCategory.Attendance,
  purpose: ConsentPurpose.FamilyInvolvement,
};

describe('the disclosure decision', () => {
  it('allows under a valid consent naming recipient, category and purpose', () => {
    expect(decideDisclosure([consent()], request, NOW)).toEqual({ allowed: true, consentId: 'c1' });
  });

  it('gives with an allowed disclosure the terms it must carry: scope and the stored redisclosure statement', () => {
    const redisclosure = { version: 'redisclosure@2024', text: 'Only as HIPAA permits.' };
    expect(decideDisclosure([consent({ redisclosure, expiryEvent: 'discharge' })], request, NOW)).toEqual({
      allowed: true,
      consentId: 'c1',
      terms: {
        informationCategories: ['attendance', 'schedule'],
        purposes: ['family-involvement'],
        expiresAt: '2026-09-01T00:00:00.000Z',
        expiresOnEvent: 'discharge',
        redisclosure,
      },
    });
  });

  it.each<[string, ConsentFacts[], Partial<DisclosureRequest>, DisclosureRefusal]>([
    ['no consent at all', [], {}, DisclosureRefusal.NoConsent],
    [
      'a consent for another recipient',
      [consent({ recipientId: 'someone-else' })],
      {},
      DisclosureRefusal.NoConsent,
    ],
    [
      'a consent for another kind of recipient',
      [consent({ recipientKind: RecipientKind.Payer })],
      {},
      DisclosureRefusal.NoConsent,
    ],
    [
      'a consent granted later',
      [consent({ grantedAt: new Date('2026-04-01T00:00:00Z') })],
      {},
      DisclosureRefusal.NoConsent,
    ],
    ['an expired consent', [consent({ expiresAt: NOW })], {}, DisclosureRefusal.ConsentExpired],
    ['a consent ended by its event', [consent({ endedByEvent: true })], {}, DisclosureRefusal.ConsentExpired],
    [
      'a revoked consent',
      [consent({ revokedAt: new Date('2026-03-05T00:00:00Z') })],
      {},
      DisclosureRefusal.ConsentRevoked,
    ],
    [
      'a category not covered',
      [consent()],
      { category: InformationCategory.DrugScreens },
      DisclosureRefusal.CategoryNotCovered,
    ],
    [
      'a purpose not covered',
      [consent()],
      { purpose: ConsentPurpose.Payment },
      DisclosureRefusal.PurposeNotCovered,
    ],
    [
      'SUD counseling notes under a general consent',
      [consent()],
      { category: SUD_COUNSELING_NOTES },
      DisclosureRefusal.CounselingNotesNeedSpecificConsent,
    ],
  ])('refuses %s', (_name, consents, change, reason) => {
    expect(decideDisclosure(consents, { ...request, ...change }, NOW)).toEqual({ allowed: false, reason });
  });

  it('allows under the latest valid consent when an older one was revoked', () => {
    const older = consent({ id: 'old', revokedAt: new Date('2026-03-02T00:00:00Z') });
    const newer = consent({ id: 'new', grantedAt: new Date('2026-03-03T00:00:00Z') });
    expect(decideDisclosure([older, newer], request, NOW)).toEqual({ allowed: true, consentId: 'new' });
  });

  it('still allows before a revocation dated in the future of the check', () => {
    expect(
      decideDisclosure([consent({ revokedAt: new Date('2026-03-11T00:00:00Z') })], request, NOW),
    ).toEqual({
      allowed: true,
      consentId: 'c1',
    });
  });
});
