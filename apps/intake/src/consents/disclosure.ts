import { type ConsentPurpose, type InformationCategory, type RecipientKind } from '@stepwise/contracts';

/** A category a disclosure may be asked about: the consent categories, plus SUD counseling notes. */
export const SUD_COUNSELING_NOTES = 'sud-counseling-notes';
export type DisclosureCategory = InformationCategory | typeof SUD_COUNSELING_NOTES;

/** Why a disclosure is refused (the notifications service maps these to its suppression reasons). */
export enum DisclosureRefusal {
  NoConsent = 'no-consent',
  ConsentExpired = 'consent-expired',
  ConsentRevoked = 'consent-revoked',
  CategoryNotCovered = 'category-not-covered',
  PurposeNotCovered = 'purpose-not-covered',
  /** SUD counseling notes need their own specific consent, never a general one (42 CFR 2.31(b)). */
  CounselingNotesNeedSpecificConsent = 'counseling-notes-need-specific-consent',
}

export interface DisclosureRequest {
  readonly recipientKind: RecipientKind;
  readonly recipientId: string;
  readonly category: DisclosureCategory;
  readonly purpose: ConsentPurpose;
}

/** A consent as the decision needs it. */
export interface ConsentFacts {
  readonly id: string;
  readonly recipientKind: RecipientKind;
  readonly recipientId: string;
  readonly categories: readonly string[];
  readonly purposes: readonly string[];
  readonly grantedAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  /** The consent's expiry event (e.g. discharge) has happened. */
  readonly endedByEvent: boolean;
  /** The event that ends it earlier, if any. */
  readonly expiryEvent: string | null;
  /** The redisclosure statement stored with it; null for a consent granted before statements were stored. */
  readonly redisclosure: { readonly version: string; readonly text: string } | null;
}

/** What a disclosure under a consent must carry of it (42 CFR 2.32): its scope and redisclosure statement. */
export interface ConsentTerms {
  readonly informationCategories: string[];
  readonly purposes: string[];
  readonly expiresAt: string;
  readonly expiresOnEvent: string | null;
  readonly redisclosure: { readonly version: string; readonly text: string };
}

/** The terms of a consent, or undefined when it lacks a redisclosure statement (it cannot carry one). */
export function consentTerms(consent: ConsentFacts): ConsentTerms | undefined {
  if (consent.redisclosure === null) return undefined;
  return {
    informationCategories: [...consent.categories],
    purposes: [...consent.purposes],
    expiresAt: consent.expiresAt.toISOString(),
    expiresOnEvent: consent.expiryEvent,
    redisclosure: consent.redisclosure,
  };
}

export type DisclosureDecision =
  | { readonly allowed: true; readonly consentId: string; readonly terms?: ConsentTerms }
  | { readonly allowed: false; readonly reason: DisclosureRefusal };

/**
 * May this recipient receive this category for this purpose now? Yes with the consent that allows it (the
 * latest granted), or no with the most specific reason: a covering consent that was revoked or expired says
 * so; otherwise what the recipient's consents do not cover.
 */
export function decideDisclosure(
  consents: readonly ConsentFacts[],
  request: DisclosureRequest,
  now: Date,
): DisclosureDecision {
  if (request.category === SUD_COUNSELING_NOTES) {
    return { allowed: false, reason: DisclosureRefusal.CounselingNotesNeedSpecificConsent };
  }
  const forRecipient = consents.filter(
    (c) =>
      c.recipientKind === request.recipientKind &&
      c.recipientId === request.recipientId &&
      c.grantedAt <= now,
  );
  if (forRecipient.length === 0) return { allowed: false, reason: DisclosureRefusal.NoConsent };
  const covering = forRecipient.filter(
    (c) => c.categories.includes(request.category) && c.purposes.includes(request.purpose),
  );
  const revoked = (c: ConsentFacts): boolean => c.revokedAt !== null && c.revokedAt <= now;
  const expired = (c: ConsentFacts): boolean => c.expiresAt <= now || c.endedByEvent;
  const valid = covering
    .filter((c) => !revoked(c) && !expired(c))
    .sort((a, b) => b.grantedAt.getTime() - a.grantedAt.getTime());
  const chosen = valid[0];
  if (chosen !== undefined) {
    const terms = consentTerms(chosen);
    return { allowed: true, consentId: chosen.id, ...(terms === undefined ? {} : { terms }) };
  }
  if (covering.some(revoked)) return { allowed: false, reason: DisclosureRefusal.ConsentRevoked };
  if (covering.length > 0) return { allowed: false, reason: DisclosureRefusal.ConsentExpired };
  return forRecipient.some((c) => c.categories.includes(request.category))
    ? { allowed: false, reason: DisclosureRefusal.PurposeNotCovered }
    : { allowed: false, reason: DisclosureRefusal.CategoryNotCovered };
}
