import { Injectable } from '@nestjs/common';
import {
  type ConsentGrantedV1Payload,
  type ConsentRevokedV1Payload,
  ConsentPurpose,
  type FamilyParticipation,
  RecipientKind,
} from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';

export interface FamilySessionRow {
  appointment_id: string;
  client_id: string;
  episode_id: string;
  site_id: string;
  kind: string;
  starts_at: Date;
  cancelled_at: Date | null;
}

export interface FamilyParticipantRow {
  family_member_id: string;
  status: FamilyParticipation;
}

/** All SQL of family participation: the projected family consents and who attended each family session. */
@Injectable()
export class FamilyParticipantsRepository {
  /** Only consents to a family member for family involvement matter here; their ids and dates, nothing else. */
  async grant(m: EntityManager, consent: ConsentGrantedV1Payload): Promise<void> {
    if (
      consent.recipient.kind !== RecipientKind.FamilyMember ||
      !consent.purposes.includes(ConsentPurpose.FamilyInvolvement)
    ) {
      return;
    }
    await m.query(
      `INSERT INTO ${table('family_consents')} (consent_id, client_id, family_member_id, granted_at, expires_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consent_id) DO NOTHING`,
      [consent.consentId, consent.clientId, consent.recipient.id, consent.grantedAt, consent.expiresAt],
    );
  }

  async revoke(m: EntityManager, revoked: ConsentRevokedV1Payload): Promise<void> {
    await m.query(
      `UPDATE ${table('family_consents')} SET revoked_at = $2 WHERE consent_id = $1 AND revoked_at IS NULL`,
      [revoked.consentId, revoked.revokedAt],
    );
  }

  async session(m: EntityManager, appointmentId: string): Promise<FamilySessionRow | undefined> {
    const [row] = await m.query<FamilySessionRow[]>(
      `SELECT appointment_id, client_id, episode_id, site_id, kind, starts_at, cancelled_at
         FROM ${table('session_records')} WHERE appointment_id = $1 FOR UPDATE`,
      [appointmentId],
    );
    return row;
  }

  /** The family members among `ids` whose consent covered the session's start (granted, unexpired, unrevoked). */
  async consented(
    m: EntityManager,
    clientId: string,
    ids: readonly string[],
    at: Date,
  ): Promise<Set<string>> {
    const rows = await m.query<{ family_member_id: string }[]>(
      `SELECT DISTINCT family_member_id FROM ${table('family_consents')}
        WHERE client_id = $1 AND family_member_id = ANY($2::uuid[]) AND granted_at <= $3 AND expires_at > $3
          AND (revoked_at IS NULL OR revoked_at > $3)`,
      [clientId, [...ids], at],
    );
    return new Set(rows.map((row) => row.family_member_id));
  }

  /** Replaces the session's family participants with `participants` (the whole list is the record). */
  async replace(
    m: EntityManager,
    appointmentId: string,
    participants: readonly { familyMemberId: string; status: FamilyParticipation }[],
    recorded: { readonly by: string; readonly at: Date },
  ): Promise<void> {
    await m.query(`DELETE FROM ${table('family_participants')} WHERE appointment_id = $1`, [appointmentId]);
    if (participants.length === 0) return;
    await m.query(
      `INSERT INTO ${table('family_participants')} (appointment_id, family_member_id, status, recorded_by, recorded_at)
       SELECT $1, f, s, $4, $5 FROM unnest($2::uuid[], $3::text[]) AS p(f, s)`,
      [
        appointmentId,
        participants.map((p) => p.familyMemberId),
        participants.map((p) => p.status),
        recorded.by,
        recorded.at,
      ],
    );
  }

  participants(m: EntityManager, appointmentId: string): Promise<FamilyParticipantRow[]> {
    return m.query<FamilyParticipantRow[]>(
      `SELECT family_member_id, status FROM ${table('family_participants')} WHERE appointment_id = $1
        ORDER BY family_member_id`,
      [appointmentId],
    );
  }
}
