import { randomUUID } from 'node:crypto';
import { ConsentPurpose, InformationCategory, RecipientKind } from '@stepwise/contracts';
import { type GrantConsentDto } from '../consents/consent.dto';
import { type ConsentRow } from '../consents/consents.repository';
import { NETWORK, SITE_A } from './factories';

/** A family member named in the consents of the unit tests. */
export const SISTER = 'f1e2d3c4-b5a6-4978-8a1b-2c3d4e5f6a7b';

/** A complete §2.31 consent to tell the client's sister about attendance, signed the day before 2026-03-10. */
export function aGrantBody(overrides: Partial<GrantConsentDto> = {}): GrantConsentDto {
  return {
    disclosingProgramId: randomUUID(),
    informationCategories: [InformationCategory.Attendance],
    recipient: { kind: RecipientKind.FamilyMember, id: SISTER, name: 'Bea Example', phone: '+15555550100' },
    purposes: [ConsentPurpose.FamilyInvolvement],
    expiresAt: '2027-03-10T00:00:00Z',
    signature: { signedBy: 'client', signedOn: '2026-03-09' },
    rightToRevokeAcknowledged: true,
    ...overrides,
  };
}

/** A consent granted 2026-03-01 to the client's sister, current until 2027. */
export function aConsentRow(overrides: Partial<ConsentRow> = {}): ConsentRow {
  return {
    id: randomUUID(),
    client_id: randomUUID(),
    site_id: SITE_A,
    network_id: NETWORK,
    disclosing_program_id: randomUUID(),
    recipient_kind: RecipientKind.FamilyMember,
    recipient_id: SISTER,
    recipient_name: 'Bea Example',
    recipient_phone: '+15555550100',
    recipient_email: null,
    information_categories: [InformationCategory.Attendance],
    purposes: [ConsentPurpose.FamilyInvolvement],
    expires_at: new Date('2027-03-01T00:00:00Z'),
    expiry_event: null,
    signed_by: 'client',
    signed_on: '2026-03-01',
    guardian_signed_by: null,
    guardian_signed_on: null,
    signer_rule: null,
    redisclosure_version: 'redisclosure@2024',
    redisclosure_text: 'Redisclosure only as HIPAA permits, never against the patient.',
    right_to_revoke_acknowledged: true,
    granted_at: new Date('2026-03-01T12:00:00Z'),
    revoked_at: null,
    revoked_by: null,
    revocation_received_on: null,
    ...overrides,
  };
}
