import { type ReferralStatus } from '../referrals/referral.rules';
import { REFERRAL, type ReferralRow, type ReferralsRepository } from '../referrals/referrals.repository';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** Referral rows in memory, for the use cases of other features that move a referral on. */
export class InMemoryReferrals implements PublicOf<ReferralsRepository> {
  constructor(private readonly tables: InMemoryTables) {}

  seed(row: ReferralRow): ReferralRow {
    return this.tables.put(REFERRAL.table, row);
  }

  row(id: string): ReferralRow | undefined {
    // The referrals table holds referral rows only: `seed` and `setStatus` put them there.
    return this.tables.get(REFERRAL.table, id) as ReferralRow | undefined;
  }

  async setStatus(
    _manager: unknown,
    id: string,
    status: ReferralStatus,
    at: Date,
    clientId?: string,
  ): Promise<ReferralRow> {
    const row = this.row(id);
    if (row === undefined) throw new Error('update returned nothing');
    return this.tables.put<ReferralRow>(REFERRAL.table, {
      ...row,
      status,
      client_id: clientId ?? row.client_id,
      updated_at: at,
    });
  }
}
