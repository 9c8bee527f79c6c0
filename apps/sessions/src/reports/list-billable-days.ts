import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import {
  type Actor,
  AuditTrail,
  type Page,
  ProblemException,
  ScopedRecords,
  decodeCursor,
  pageLimit,
  toPage,
} from '@stepwise/security';
import { addDays, billableWeeks, IOP_BILLING_RULE_V1, weekStartOf } from '@stepwise/care-rules';
import { ReportsRepository } from './reports.repository';
import { type BillableDaysQuery, type BillableWeekView } from './reports.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Billable IOP days of a site's clients for one ISO week, a page of clients at a time; audited per client. */
@Injectable()
export class ListBillableDays {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly audit: AuditTrail,
    private readonly reports: ReportsRepository,
  ) {}

  async billableDays(
    actor: Actor,
    siteId: string,
    query: BillableDaysQuery,
  ): Promise<Page<BillableWeekView>> {
    if (weekStartOf(query.weekStart) !== query.weekStart) {
      throw new ProblemException('validation-failed', {
        errors: [{ field: 'weekStart', problems: ['weekStart must be a Monday'] }],
      });
    }
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 1);
    const afterId = after === undefined ? null : String(after[0]);
    if (afterId !== null && !UUID.test(afterId)) throw new ProblemException('invalid-cursor');
    // The route's guard checked the site too; the use case does not rely on being reached only through it.
    await this.scoped.assertSite(actor, { siteId }, { action: 'list', resourceType: 'billing' });
    return this.uow.run(async (tx) => {
      const rows = await this.reports.weekAttendance(tx.manager, {
        siteId,
        weekStart: query.weekStart,
        weekEnd: addDays(query.weekStart, 7),
        afterEpisodeId: afterId,
        limit: limit + 1,
      });
      const episodes = [...new Set(rows.map((r) => r.episode_id))];
      const weeks = episodes.map((episodeId) => {
        const facts = rows.filter((r) => r.episode_id === episodeId);
        const [week] = billableWeeks(
          facts.map((r) => ({
            appointmentId: episodeId,
            sessionDate: r.session_date,
            startsAt: r.session_date,
            outcome: r.outcome,
            minutes: r.minutes,
          })),
          IOP_BILLING_RULE_V1,
        );
        return {
          clientId: facts[0]?.client_id ?? '',
          episodeId,
          weekStart: query.weekStart,
          billableDays: [...(week?.billableDays ?? [])],
          attendedMinutes: week?.attendedMinutes ?? 0,
          billingRuleVersion: IOP_BILLING_RULE_V1.version,
        };
      });
      for (const clientId of new Set(weeks.map((w) => w.clientId))) {
        // A list names no single record, so the entry carries the site and client only (not `audited`).
        await this.audit.record(
          actor,
          { action: 'list', resourceType: 'billing', clientId, siteId, outcome: 'allowed' },
          tx.manager,
        );
      }
      return toPage(
        weeks,
        limit,
        (w) => [w.episodeId],
        (w) => w,
      );
    });
  }
}
