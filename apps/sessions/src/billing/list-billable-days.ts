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
import { addDays, billEpisode, weekStartOf } from '@stepwise/care-rules';
import { CareRulesRepository } from '../projections/care-rules.repository';
import { BillingRepository } from './billing.repository';
import { type BillableDaysQuery, type BillableWeekView } from './billing.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The billable days of a site's clients for one ISO week under each payer's rule set in force (the day and the
 * week minimums, e.g. H0015's 3 hours and 3 days), a page of clients at a time; audited per client.
 */
@Injectable()
export class ListBillableDays {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly audit: AuditTrail,
    private readonly billing: BillingRepository,
    private readonly careRules: CareRulesRepository,
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
    const weekEnd = addDays(query.weekStart, 7);
    return this.uow.run(async (tx) => {
      const ids = await this.billing.episodesAttendedAt(tx.manager, {
        siteId,
        from: query.weekStart,
        until: weekEnd,
        afterEpisodeId: afterId,
        limit: limit + 1,
      });
      const { billing } = await this.careRules.inForce(tx.manager);
      const inWeek = (day: { date: string; siteId: string }): boolean =>
        day.siteId === siteId && day.date >= query.weekStart && day.date < weekEnd;
      const weeks = (await this.billing.facts(tx.manager, ids)).map((facts): BillableWeekView => {
        const bill = billEpisode(facts, billing);
        const lines = bill.lines.filter(inWeek);
        const unbilled = bill.unbilled.filter(inWeek);
        return {
          clientId: facts.clientId,
          episodeId: facts.episodeId,
          weekStart: query.weekStart,
          billableDays: lines.map((line) => line.date),
          unbilledDays: unbilled.map((day) => ({
            date: day.date,
            attendedMinutes: day.attendedMinutes,
            reason: day.reason,
            code: day.code,
          })),
          attendedMinutes: [...lines, ...unbilled].reduce((sum, day) => sum + day.attendedMinutes, 0),
          ruleSetIds: [...new Set([...lines, ...unbilled].map((day) => day.ruleSetId))].sort(),
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
