import { type FieldProblem } from '@stepwise/security';
import { type GrantConsentDto } from './consent.dto';

/** A complete §2.31 consent: every element present (checked by `missingElements`). */
export type CompleteConsent = Required<Omit<GrantConsentDto, 'expiresOnEvent' | 'guardianSignature'>> &
  Pick<GrantConsentDto, 'expiresOnEvent' | 'guardianSignature'>;

/** The §2.31 elements the consent lacks, each named (the patient is the client of the path). */
export function missingElements(body: GrantConsentDto): FieldProblem[] {
  const missing: [string, boolean, string][] = [
    [
      'disclosingProgramId',
      body.disclosingProgramId === undefined,
      'who may disclose (the disclosing program)',
    ],
    ['informationCategories', !body.informationCategories?.length, 'what information may be disclosed'],
    ['recipient', body.recipient === undefined, 'the recipient (kind and identity)'],
    [
      'recipient.name',
      body.recipient !== undefined && (body.recipient.name ?? '').trim() === '',
      "the recipient's name (a person's, or the entity's)",
    ],
    ['purposes', !body.purposes?.length, 'the purpose of the disclosure'],
    [
      'expiresAt',
      body.expiresAt === undefined,
      'when the consent expires (a date, optionally also an event)',
    ],
    ['signature', body.signature === undefined, "the patient's (or representative's) signature and its date"],
    [
      'rightToRevokeAcknowledged',
      body.rightToRevokeAcknowledged !== true,
      'acknowledgement of the right to revoke in writing (must be true)',
    ],
  ];
  return missing
    .filter(([, absent]) => absent)
    .map(([field, , element]) => ({ field, problems: [`42 CFR 2.31 requires ${element}`] }));
}
