import { Injectable } from '@nestjs/common';
import { type LevelOfCare } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, AuditTrail, type Page, type PageQuery, ScopedRecords } from '@stepwise/security';
import { readPage } from '../shared/pages';
import { type CensusEntryView } from './census.dto';

interface CensusRow {
  id: string;
  client_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  clinical_level: LevelOfCare;
  program_track_id: string;
  primary_counselor_id: string;
  admitted_on: string;
}

/** Active episodes with their client: one row per client in the program. */
const ACTIVE_EPISODES = `(SELECT e.id, e.created_at, e.site_id, e.client_id, c.given_name, c.family_name,
    to_char(c.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, e.clinical_level, e.program_track_id,
    e.primary_counselor_id, to_char(e.admitted_on, 'YYYY-MM-DD') AS admitted_on
   FROM intake.episodes e JOIN intake.clients c ON c.id = e.client_id WHERE e.status = 'active') census`;

/**
 * A site's census, intake's part: the clients with an active episode, in admission order, a page at a time.
 * Names and birth dates are PHI: each client listed gets a `list` audit entry (as billing lists do).
 */
@Injectable()
export class ReadCensus {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, siteId: string, query: PageQuery): Promise<Page<CensusEntryView>> {
    // The route's guard checked the site too; the use case does not rely on being reached only through it.
    await this.scoped.assertSite(actor, { siteId }, { action: 'list', resourceType: 'census' });
    return this.uow.run(async (tx) => {
      const page = await readPage<CensusRow, CensusEntryView>(tx.manager, query, {
        table: ACTIVE_EPISODES,
        columns: `id, client_id, given_name, family_name, date_of_birth, clinical_level, program_track_id,
          primary_counselor_id, admitted_on`,
        where: ['site_id = $1'],
        params: [siteId],
        view: (row) => ({
          clientId: row.client_id,
          episodeId: row.id,
          givenName: row.given_name,
          familyName: row.family_name,
          dateOfBirth: row.date_of_birth,
          levelOfCare: row.clinical_level,
          programTrackId: row.program_track_id,
          primaryCounselorId: row.primary_counselor_id,
          admittedOn: row.admitted_on,
        }),
      });
      await this.audit.recordShown(
        actor,
        { action: 'list', resourceType: 'census' },
        page.items.map((entry) => ({ id: entry.episodeId, clientId: entry.clientId, siteId })),
        tx.manager,
      );
      return page;
    });
  }
}
