import { Injectable } from '@nestjs/common';
import { SiteDirectory } from '@stepwise/security';
import { DataSource } from 'typeorm';
import { table } from '../scheduling.schema';

/** Sites are scheduling's own reference data: network-wide callers are scoped by this table. */
@Injectable()
export class SchedulingSiteDirectory extends SiteDirectory {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async networkOf(siteId: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query<{ network_id: string }[]>(
      `SELECT network_id FROM ${table('sites')} WHERE id = $1`,
      [siteId],
    );
    return row?.network_id;
  }
}
