import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, AuditTrail, type Page, ProblemException, ScopedRecords } from '@stepwise/security';
import { readPage } from '../shared/pages';
import { type ClientSearchDto, type ClientSummaryView } from './client-search.dto';

interface ClientSummaryRow {
  id: string;
  site_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  active_episode_id: string | null;
}

/** `%` and `_` in what a user typed are literal characters, not wildcards. */
const likePrefix = (text: string): string => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Finds a site's clients by name, date of birth or id (criteria combined with AND), a page at a time in
 * registration order. Every client shown is a PHI read: one `search` audit entry per client on the page.
 */
@Injectable()
export class SearchClients {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, query: ClientSearchDto): Promise<Page<ClientSummaryView>> {
    if (query.name === undefined && query.dateOfBirth === undefined && query.clientId === undefined) {
      throw new ProblemException('validation-failed', {
        errors: [{ field: 'name', problems: ['give a name, a dateOfBirth or a clientId'] }],
      });
    }
    // The route's guard checked the site too; the use case does not rely on being reached only through it.
    await this.scoped.assertSite(
      actor,
      { siteId: query.siteId },
      { action: 'search', resourceType: 'client' },
    );
    const where = ['site_id = $1'];
    const params: unknown[] = [query.siteId];
    if (query.name !== undefined) {
      params.push(likePrefix(query.name));
      const p = `$${params.length}`;
      where.push(
        `(given_name ILIKE ${p} OR family_name ILIKE ${p} OR (given_name || ' ' || family_name) ILIKE ${p})`,
      );
    }
    if (query.dateOfBirth !== undefined) {
      params.push(query.dateOfBirth);
      where.push(`date_of_birth = $${params.length}::date`);
    }
    if (query.clientId !== undefined) {
      params.push(query.clientId);
      where.push(`id = $${params.length}::uuid`);
    }
    return this.uow.run(async (tx) => {
      const page = await readPage<ClientSummaryRow, ClientSummaryView>(tx.manager, query, {
        table: 'intake.clients c',
        columns: `id, site_id, given_name, family_name, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
          (SELECT e.id FROM intake.episodes e WHERE e.client_id = c.id AND e.status = 'active') AS active_episode_id`,
        where,
        params,
        view: (row) => ({
          id: row.id,
          siteId: row.site_id,
          givenName: row.given_name,
          familyName: row.family_name,
          dateOfBirth: row.date_of_birth,
          activeEpisodeId: row.active_episode_id,
        }),
      });
      await this.audit.recordShown(
        actor,
        { action: 'search', resourceType: 'client' },
        page.items.map((client) => ({ id: client.id, clientId: client.id, siteId: client.siteId })),
        tx.manager,
      );
      return page;
    });
  }
}
