import { type Coding, type Consent } from '@medplum/fhirtypes';
import { PART2_POLICY_URI, SYSTEMS } from '../code-systems';
import { instant, patientReference } from './references';

export interface ConsentFacts {
  readonly consentId: string;
  readonly clientId: string;
  readonly recipientKind: string;
  readonly recipientId: string;
  readonly informationCategories: readonly string[];
  readonly purposes: readonly string[];
  /** Null when not known (a revocation does not repeat when the consent was granted). */
  readonly grantedAt: Date | null;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  /** The consent's expiry event (e.g. discharge) has happened. */
  readonly endedByEvent: boolean;
}

/** The program's consent purposes as v3 PurposeOfUse codes. */
const PURPOSE_OF_USE: Readonly<Record<string, string>> = {
  treatment: 'TREAT',
  payment: 'HPAYMT',
  'health-care-operations': 'HOPERAT',
  'family-involvement': 'FAMRQT',
  'care-coordination': 'CAREMGT',
};

const purposeCoding = (purpose: string): Coding => {
  const code = PURPOSE_OF_USE[purpose];
  return code === undefined
    ? { system: SYSTEMS.informationCategory, code: purpose }
    : { system: SYSTEMS.purposeOfUse, code, display: purpose };
};

/**
 * The consent as FHIR R4 `Consent` (42 CFR Part 2 privacy consent): `active` while it permits disclosure at
 * `now`, `inactive` once revoked, expired or ended by its event. The recipient is named by kind and id only —
 * never by name or contact details — and the categories and purposes are the provision's classes and purposes.
 */
export function toConsent(facts: ConsentFacts, now: Date): Consent {
  const ended =
    (facts.revokedAt !== null && facts.revokedAt <= now) || facts.expiresAt <= now || facts.endedByEvent;
  return {
    resourceType: 'Consent',
    id: facts.consentId,
    status: ended ? 'inactive' : 'active',
    scope: { coding: [{ system: SYSTEMS.consentScope, code: 'patient-privacy' }] },
    category: [{ coding: [{ system: SYSTEMS.loinc, code: '59284-0', display: 'Patient Consent' }] }],
    patient: patientReference(facts.clientId),
    ...(facts.grantedAt === null ? {} : { dateTime: instant(facts.grantedAt) }),
    policy: [{ uri: PART2_POLICY_URI }],
    provision: {
      type: 'permit',
      period: {
        ...(facts.grantedAt === null ? {} : { start: instant(facts.grantedAt) }),
        end: instant(
          facts.revokedAt !== null && facts.revokedAt < facts.expiresAt ? facts.revokedAt : facts.expiresAt,
        ),
      },
      actor: [
        {
          role: {
            coding: [{ system: SYSTEMS.participationType, code: 'IRCP', display: 'information recipient' }],
          },
          reference: {
            identifier: {
              system: SYSTEMS.recipientId,
              value: facts.recipientId,
              type: { coding: [{ system: SYSTEMS.recipientKind, code: facts.recipientKind }] },
            },
            type: facts.recipientKind === 'family-member' ? 'RelatedPerson' : 'Organization',
          },
        },
      ],
      purpose: facts.purposes.map(purposeCoding),
      class: facts.informationCategories.map((code) => ({ system: SYSTEMS.informationCategory, code })),
    },
  };
}
