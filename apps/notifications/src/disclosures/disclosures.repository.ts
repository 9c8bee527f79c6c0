import { Injectable } from '@nestjs/common';
import { type CursorKey, timestampKey } from '@stepwise/security';
import { DataSource } from 'typeorm';
import { T } from '../delivery/notification-store';

export interface DisclosureRow {
  id: string;
  site_id: string | null;
  recipient_kind: string;
  recipient_id: string;
  consent_id: string;
  purpose: string;
  category: string;
  event_type: string;
  notice_version: string;
  disclosed_at: Date;
  disclosed_key: string;
}

/** Whose disclosures a caller may see: all of the network's, or those made at the caller's sites. */
export interface DisclosureScope {
  readonly networkWide: boolean;
  readonly sites: readonly string[];
}

/** The accounting of disclosures (`disclosures`), as read back: the feature's SQL. */
@Injectable()
export class DisclosuresRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A client's disclosures of the last 3 years within `scope`, oldest first, after the keyset position `after`
   * (disclosed_key, id): `limit` rows and one more, which tells that another page follows.
   */
  accounting(
    clientId: string,
    scope: DisclosureScope,
    limit: number,
    after: CursorKey | undefined,
  ): Promise<DisclosureRow[]> {
    return this.dataSource.query<DisclosureRow[]>(
      `SELECT id, site_id, recipient_kind, recipient_id, consent_id, purpose, category, event_type, notice_version,
              disclosed_at, ${timestampKey('disclosed_at')} AS disclosed_key
         FROM ${T('disclosures')}
        WHERE client_id = $1 AND disclosed_at >= now() - interval '3 years'
          AND ($3::boolean OR site_id = ANY($4::uuid[]))
          ${after === undefined ? '' : 'AND (disclosed_at, id) > ($5::timestamptz, $6::uuid)'}
        ORDER BY disclosed_at, id LIMIT $2`,
      [
        clientId,
        limit + 1,
        scope.networkWide,
        scope.sites,
        ...(after === undefined ? [] : [String(after[0]), String(after[1])]),
      ],
    );
  }
}
