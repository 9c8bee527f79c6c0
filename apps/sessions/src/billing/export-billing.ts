import { Injectable } from '@nestjs/common';
import { addDays, type BillingLine, billEpisode, daysBetween } from '@stepwise/care-rules';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, AuditTrail, ProblemException, ScopedRecords } from '@stepwise/security';
import { CareRulesRepository } from '../projections/care-rules.repository';
import {
  type BillingExportQuery,
  type BillingExportView,
  type BillingLineView,
  type UnbilledLineView,
} from './billing.dto';
import { BillingRepository } from './billing.repository';

/** A quarter at most: a claim period is a month or so, and the export is built in one transaction. */
export const MAX_EXPORT_DAYS = 92;
/** Episodes read per query while building an export. */
const CHUNK = 200;
/** More episodes than this at one site in one period is not a site's export: narrow the period. */
const MAX_EXPORT_EPISODES = 5000;

function lineView(line: BillingLine): BillingLineView {
  return {
    clientId: line.clientId,
    episodeId: line.episodeId,
    date: line.date,
    code: line.code,
    units: line.units,
    diagnosisPointers: line.diagnosisPointers,
    diagnosisCodes: [...line.diagnosisCodes],
    renderingStaffId: line.renderingStaffId,
    payerCode: line.payerCode,
    authorizationNumber: line.authorizationNumber,
    levelOfCare: line.level,
    attendedMinutes: line.attendedMinutes,
    ruleSetId: line.ruleSetId,
    holds: [...line.holds],
  };
}

/**
 * The billing export of a site for a period: one line per billable client day (client, date, code, units,
 * diagnosis pointers, rendering staff), every other attended day with the reason it is not billed, and the
 * sums that reconcile both with the attendance records. PHI: site-scoped, and audited once per client.
 * Each day is billed under the rules in force now for its payer, with authorization units counted down over
 * the whole episode, and its week judged on the whole week even where the period cuts it.
 */
@Injectable()
export class ExportBilling {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly audit: AuditTrail,
    private readonly billing: BillingRepository,
    private readonly careRules: CareRulesRepository,
    private readonly clock: Clock,
  ) {}

  async export(actor: Actor, siteId: string, query: BillingExportQuery): Promise<BillingExportView> {
    const days = daysBetween(query.from, query.to);
    if (days < 0 || days >= MAX_EXPORT_DAYS) {
      throw new ProblemException('unprocessable', {
        errors: [
          {
            field: 'to',
            problems: [
              days < 0 ? 'to must not be before from' : `the period must be at most ${MAX_EXPORT_DAYS} days`,
            ],
          },
        ],
      });
    }
    await this.scoped.assertSite(actor, { siteId }, { action: 'export', resourceType: 'billing' });
    const until = addDays(query.to, 1);
    return this.uow.run(async (tx) => {
      const ids = await this.billing.episodesAttendedAt(tx.manager, {
        siteId,
        from: query.from,
        until,
        afterEpisodeId: null,
        limit: MAX_EXPORT_EPISODES + 1,
      });
      if (ids.length > MAX_EXPORT_EPISODES) {
        throw new ProblemException('unprocessable', {
          detail: `More than ${MAX_EXPORT_EPISODES} episodes attended in the period: export a shorter one`,
        });
      }
      const { billing } = await this.careRules.inForce(tx.manager);
      const inPeriod = (day: { date: string; siteId: string }): boolean =>
        day.siteId === siteId && day.date >= query.from && day.date < until;
      const lines: BillingLineView[] = [];
      const unbilled: UnbilledLineView[] = [];
      let attendanceRecords = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        for (const facts of await this.billing.facts(tx.manager, ids.slice(i, i + CHUNK))) {
          const bill = billEpisode(facts, billing);
          lines.push(...bill.lines.filter(inPeriod).map(lineView));
          unbilled.push(
            ...bill.unbilled.filter(inPeriod).map((day) => ({
              clientId: day.clientId,
              episodeId: day.episodeId,
              date: day.date,
              attendedMinutes: day.attendedMinutes,
              reason: day.reason,
              code: day.code,
              ruleSetId: day.ruleSetId,
            })),
          );
          attendanceRecords += facts.sessions.filter(
            (s) => s.siteId === siteId && s.sessionDate >= query.from && s.sessionDate < until,
          ).length;
        }
      }
      const byClientDay = <T extends { clientId: string; date: string }>(a: T, b: T): number =>
        a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : a.date < b.date ? -1 : 1;
      lines.sort(byClientDay);
      unbilled.sort(byClientDay);
      for (const clientId of new Set([...lines, ...unbilled].map((line) => line.clientId))) {
        await this.audit.record(
          actor,
          { action: 'export', resourceType: 'billing', clientId, siteId, outcome: 'allowed' },
          tx.manager,
        );
      }
      const minutes = (rows: readonly { attendedMinutes: number }[]): number =>
        rows.reduce((sum, row) => sum + row.attendedMinutes, 0);
      return {
        siteId,
        from: query.from,
        to: query.to,
        generatedAt: this.clock.now().toISOString(),
        lines,
        unbilled,
        reconciliation: {
          attendanceRecords,
          attendedDays: lines.length + unbilled.length,
          attendedMinutes: minutes(lines) + minutes(unbilled),
          billedDays: lines.length,
          billedMinutes: minutes(lines),
          billedUnits: lines.reduce((sum, line) => sum + line.units, 0),
          unbilledDays: unbilled.length,
          unbilledMinutes: minutes(unbilled),
        },
      };
    });
  }
}

/** The CSV columns, in order (documented in the sessions README). */
export const BILLING_CSV_COLUMNS = [
  'client_id',
  'episode_id',
  'date',
  'code',
  'units',
  'diagnosis_pointers',
  'diagnosis_codes',
  'rendering_staff_id',
  'payer_code',
  'authorization_number',
  'level_of_care',
  'attended_minutes',
  'rule_set_id',
  'holds',
] as const;

/** The export's lines as CSV (RFC 4180, CRLF): one row per billable client day; lists joined with `;`. */
export function billingCsv(view: BillingExportView): string {
  const cell = (value: string | number | null): string => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows = view.lines.map((line) =>
    [
      line.clientId,
      line.episodeId,
      line.date,
      line.code,
      line.units,
      line.diagnosisPointers,
      line.diagnosisCodes.join(';'),
      line.renderingStaffId,
      line.payerCode,
      line.authorizationNumber,
      line.levelOfCare,
      line.attendedMinutes,
      line.ruleSetId,
      line.holds.join(';'),
    ]
      .map(cell)
      .join(','),
  );
  return [BILLING_CSV_COLUMNS.join(','), ...rows].map((row) => `${row}\r\n`).join('');
}
