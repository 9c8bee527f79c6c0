import { CONSENT_TERMS } from '../testing/delivery-kit';
import { carriesParts, contentHash, disclosureParts } from './disclosure-content';
import { currentDisclosureNotice } from './disclosure-notice';

const terms = { consentId: 'c1', ...CONSENT_TERMS, expiresOnEvent: null };
const url = 'https://program.example.test/part2-notice';

describe('disclosure content', () => {
  it('gives a text message the scope, the short statement and the address of the full notice', () => {
    const parts = disclosureParts('sms', terms, 'family-involvement', currentDisclosureNotice(), url);
    expect(parts).toEqual({
      scope: 'Shared with consent (attendance, level of care; for family involvement; until 2026-01-01).',
      notice: `${currentDisclosureNotice().short} Full notice: ${url}`,
    });
  });

  it('gives an e-mail the full notice and the redisclosure statement', () => {
    const parts = disclosureParts('email', terms, 'care-coordination', currentDisclosureNotice(), url);
    expect(parts.notice).toBe(currentDisclosureNotice().text);
    expect(parts.redisclosure).toBe(CONSENT_TERMS.redisclosure.text);
    expect(parts.scope).toContain('(this message: care coordination); valid until 2026-01-01.');
  });

  it('tells a text that dropped a part from one that carries them all', () => {
    const parts = disclosureParts('email', terms, 'care-coordination', currentDisclosureNotice(), url);
    const full = `Update.\n\n${parts.scope}\n\n${parts.redisclosure}\n\n${parts.notice}`;
    expect(carriesParts(full, parts)).toBe(true);
    expect(carriesParts(`Update.\n\n${parts.scope}\n\n${parts.notice}`, parts)).toBe(false);
    expect(carriesParts(`Update.\n\n${parts.notice}`, parts)).toBe(false);
  });

  it('hashes exactly what was sent (subject and text of an e-mail)', () => {
    expect(contentHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(contentHash('text', 'subject')).not.toBe(contentHash('text'));
  });
});
