import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { AttendanceRepository } from './attendance.repository';
import { attendanceView } from './attendance-view';
import { type OccurrenceAttendanceView } from './attendance.dto';

/** The attendance recorded for an occurrence; the read is audited once per client. */
@Injectable()
export class ReadRoster {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly attendance: AttendanceRepository,
  ) {}

  async roster(actor: Actor, occurrenceId: string): Promise<OccurrenceAttendanceView> {
    return this.uow.run(async (tx) => {
      const { site } = await this.attendance.occurrenceOf(tx.manager, occurrenceId);
      const siteId = site.siteId;
      const attempt = { action: 'read', resourceType: 'attendance', resourceId: occurrenceId };
      await this.scoped.assertSite(actor, site, attempt);
      const rows = await this.attendance.rosterOf(tx.manager, occurrenceId);
      for (const clientId of new Set(rows.map((r) => r.client_id))) {
        const record = { id: occurrenceId, siteId, clientId };
        await this.scoped.audited(actor, 'read', attempt, record, tx.manager);
      }
      return { occurrenceId, records: rows.map((row) => attendanceView(row, false)) };
    });
  }
}
