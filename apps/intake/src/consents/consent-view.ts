import { iso } from '../shared/staff';
import { type ConsentView } from './consent.dto';
import { type ConsentRow } from './consents.repository';

/** The consent as the API shows it. */
export const consentView = (row: ConsentRow): ConsentView => ({
  id: row.id,
  clientId: row.client_id,
  disclosingProgramId: row.disclosing_program_id,
  recipient: {
    kind: row.recipient_kind,
    id: row.recipient_id,
    ...(row.recipient_name === null ? {} : { name: row.recipient_name }),
    ...(row.recipient_phone === null ? {} : { phone: row.recipient_phone }),
    ...(row.recipient_email === null ? {} : { email: row.recipient_email }),
  },
  informationCategories: row.information_categories,
  purposes: row.purposes,
  expiresAt: row.expires_at.toISOString(),
  expiresOnEvent: row.expiry_event,
  signature: { signedBy: row.signed_by, signedOn: row.signed_on },
  guardianSignature:
    row.guardian_signed_by === null || row.guardian_signed_on === null
      ? null
      : { signedBy: row.guardian_signed_by as 'parent' | 'guardian', signedOn: row.guardian_signed_on },
  rightToRevokeAcknowledged: row.right_to_revoke_acknowledged,
  redisclosure:
    row.redisclosure_version === null || row.redisclosure_text === null
      ? null
      : { version: row.redisclosure_version, text: row.redisclosure_text },
  grantedAt: row.granted_at.toISOString(),
  revokedAt: iso(row.revoked_at),
  revokedBy: row.revoked_by,
  revocationReceivedOn: row.revocation_received_on,
});
