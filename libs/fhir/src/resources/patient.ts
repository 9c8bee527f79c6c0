import { type Patient } from '@medplum/fhirtypes';

/** What the minimal Patient shows: the person's name, birth date and language, nothing to contact them by. */
export interface PatientFacts {
  readonly clientId: string;
  readonly givenName: string;
  readonly familyName: string;
  /** YYYY-MM-DD. */
  readonly dateOfBirth: string;
  /** A BCP 47 tag, when known. */
  readonly preferredLanguage: string | null;
}

/**
 * The minimal Patient: identity only (no address, phone, e-mail, pronouns or site), and only under a consent
 * covering demographics; the caller enforces that.
 */
export function toPatient(facts: PatientFacts): Patient {
  return {
    resourceType: 'Patient',
    id: facts.clientId,
    name: [{ use: 'official', family: facts.familyName, given: [facts.givenName] }],
    birthDate: facts.dateOfBirth,
    ...(facts.preferredLanguage === null
      ? {}
      : {
          communication: [
            {
              language: { coding: [{ system: 'urn:ietf:bcp:47', code: facts.preferredLanguage }] },
              preferred: true,
            },
          ],
        }),
  };
}
