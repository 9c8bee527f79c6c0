import { type Page } from '@stepwise/security';
import { type ReferralListQuery } from '../referrals/referral.dto';
import { ReferralStatus } from '../referrals/referral.rules';
import {
  type NewReferral,
  REFERRAL,
  type ReferralRow,
  type ReferralsRepository,
} from '../referrals/referrals.repository';
import { type FakeReference } from './fake-reference';
import { InMemoryRows } from './in-memory-rows';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** Referral rows in memory. */
export class InMemoryReferrals extends InMemoryRows<ReferralRow> implements PublicOf<ReferralsRepository> {
  /** A new referral is in the network of its site, as projected from scheduling. */
  constructor(
    tables: InMemoryTables,
    private readonly reference: Pick<FakeReference, 'site'>,
  ) {
    super(tables, REFERRAL);
  }

  async insert(_manager: unknown, referral: NewReferral): Promise<ReferralRow> {
    const site = await this.reference.site(referral.siteId);
    return this.seed({
      id: referral.id,
      site_id: referral.siteId,
      network_id: site?.networkId ?? null,
      source: referral.source,
      reason_code: referral.reasonCode,
      referrer: referral.referrer,
      status: ReferralStatus.Received,
      client_id: null,
      received_at: referral.receivedAt,
      updated_at: referral.receivedAt,
    });
  }

  async setStatus(
    _manager: unknown,
    id: string,
    status: ReferralStatus,
    at: Date,
    clientId?: string,
  ): Promise<ReferralRow> {
    const row = this.row(id);
    return this.change(id, { status, client_id: clientId ?? row?.client_id ?? null, updated_at: at });
  }

  async linkClient(_manager: unknown, id: string, clientId: string): Promise<void> {
    this.change(id, { client_id: clientId });
  }

  async page<T>(siteId: string, query: ReferralListQuery, view: (row: ReferralRow) => T): Promise<Page<T>> {
    return this.onePage(
      (row) => row.site_id === siteId && (query.status === undefined || row.status === query.status),
      view,
    );
  }
}
