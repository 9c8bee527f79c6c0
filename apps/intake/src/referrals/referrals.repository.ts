import { Injectable } from '@nestjs/common';
import { type ReferralSource } from '@stepwise/contracts';
import { type Page, type RecordKind } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { sitePage } from '../shared/pages';
import { type ReferralListQuery, type ReferrerDto } from './referral.dto';
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

/** A referral as received at a site. */
export interface NewReferral {
  readonly id: string;
  readonly siteId: string;
  readonly source: ReferralSource;
  readonly reasonCode: ReferralReason;
  readonly referrer: ReferrerDto;
  readonly receivedAt: Date;
  readonly createdBy: string;
}

const REFERRAL_COLUMNS = `id, site_id, network_id, source, reason_code, referrer, status, client_id, received_at, updated_at`;

export const REFERRAL: RecordKind<ReferralRow> = {
  table: 'intake.referrals',
  columns: REFERRAL_COLUMNS,
  resourceType: 'referral',
  clientIdOf: (row) => row.client_id,
};

/** All SQL of referrals. */
@Injectable()
export class ReferralsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a received referral in the network of its site. */
  async insert(manager: EntityManager, referral: NewReferral): Promise<ReferralRow> {
    const [row] = await manager.query<ReferralRow[]>(
      `INSERT INTO intake.referrals (id, site_id, network_id, source, reason_code, referrer, status, received_at, created_by)
       VALUES ($1, $2, (SELECT network_id FROM intake.sites WHERE id = $2), $3, $4, $5, 'received', $6, $7)
       RETURNING ${REFERRAL_COLUMNS}`,
      [
        referral.id,
        referral.siteId,
        referral.source,
        referral.reasonCode,
        referral.referrer,
        referral.receivedAt,
        referral.createdBy,
      ],
    );
    if (row === undefined) throw new Error('insert returned nothing');
    return row;
  }

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

  /** Links the client registered from the referral. */
  async linkClient(manager: EntityManager, id: string, clientId: string): Promise<void> {
    await manager.query(`UPDATE intake.referrals SET client_id = $2 WHERE id = $1`, [id, clientId]);
  }

  /** One page of the site's referrals (of one status, when the query names it), oldest first. */
  page<T>(siteId: string, query: ReferralListQuery, view: (row: ReferralRow) => T): Promise<Page<T>> {
    return sitePage(this.dataSource.manager, siteId, query, {
      table: REFERRAL.table,
      columns: REFERRAL.columns,
      view,
    });
  }
}
