import { Injectable } from '@nestjs/common';
import { type ReferralSource } from '@stepwise/contracts';
import { type RecordKind } from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { type ReferrerDto } from './referral.dto';
import { type ReferralReason, type ReferralStatus } from './referral.rules';

export interface ReferralRow {
  id: string;
  site_id: string;
  network_id: string | null;
  source: ReferralSource;
  reason_code: ReferralReason;
  referrer: ReferrerDto;
  status: ReferralStatus;
  client_id: string | null;
  received_at: Date;
  updated_at: Date;
}

export const REFERRAL_COLUMNS = `id, site_id, network_id, source, reason_code, referrer, status, client_id, received_at, updated_at`;

export const REFERRAL: RecordKind<ReferralRow> = {
  table: 'intake.referrals',
  columns: REFERRAL_COLUMNS,
  resourceType: 'referral',
  clientIdOf: (row) => row.client_id,
};

/** SQL of referrals that other features' use cases need (admission closes the referral it came from). */
@Injectable()
export class ReferralsRepository {
  /** Moves the referral to `status` (and links the client, when given), as of `at`. */
  async setStatus(
    manager: EntityManager,
    id: string,
    status: ReferralStatus,
    at: Date,
    clientId?: string,
  ): Promise<ReferralRow> {
    const [[row]] = await manager.query<[ReferralRow[], number]>(
      `UPDATE intake.referrals SET status = $2, client_id = COALESCE($3, client_id), updated_at = $4
        WHERE id = $1 RETURNING ${REFERRAL_COLUMNS}`,
      [id, status, clientId ?? null, at],
    );
    if (row === undefined) throw new Error('update returned nothing');
    return row;
  }
}
