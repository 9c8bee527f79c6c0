import { Injectable } from '@nestjs/common';
import { AppointmentKind, FamilyParticipation } from '@stepwise/contracts';
import { localDateOf } from '@stepwise/care-rules';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { SitesRepository, timeZoneOf } from '../projections/sites.repository';
import { type FamilyParticipantDto, type FamilyParticipantsView } from './family-participants.dto';
import { type FamilyParticipantRow, FamilyParticipantsRepository } from './family-participants.repository';

const viewOf = (appointmentId: string, rows: readonly FamilyParticipantRow[]): FamilyParticipantsView => ({
  appointmentId,
  participants: rows.map((row) => ({ familyMemberId: row.family_member_id, status: row.status })),
  present: rows.filter((row) => row.status === FamilyParticipation.Present).length,
  absent: rows.filter((row) => row.status === FamilyParticipation.Absent).length,
});

/**
 * Records which consented family members were present or absent at a family session. Only a family session,
 * only family members whose consent (family involvement, from intake) covered the session's start; the list
 * replaces the previous one and is published (FamilyParticipationRecorded, ids only). The client's own
 * attendance and hours are untouched: family members are counted apart.
 */
@Injectable()
export class RecordFamilyParticipants {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly sites: SitesRepository,
    private readonly family: FamilyParticipantsRepository,
    private readonly clock: Clock,
  ) {}

  async record(
    actor: Actor,
    appointmentId: string,
    participants: readonly FamilyParticipantDto[],
  ): Promise<FamilyParticipantsView> {
    return this.uow.run(async (tx) => {
      const session = await this.family.session(tx.manager, appointmentId);
      if (session === undefined) throw new ProblemException('not-found', { detail: 'No such appointment' });
      const site = await this.sites.site(tx.manager, session.site_id);
      const attempt = { action: 'record', resourceType: 'family-participation', resourceId: appointmentId };
      await this.scoped.assertSite(actor, site, { ...attempt, clientId: session.client_id });
      const problem =
        session.kind !== AppointmentKind.Family
          ? 'Family members are recorded at family sessions only'
          : session.cancelled_at !== null
            ? 'The appointment was cancelled'
            : session.starts_at > this.clock.now()
              ? 'The session has not started yet'
              : undefined;
      if (problem !== undefined) throw new ProblemException('unprocessable', { detail: problem });
      const ids = participants.map((p) => p.familyMemberId.toLowerCase());
      const consented = await this.family.consented(tx.manager, session.client_id, ids, session.starts_at);
      const missing = ids.flatMap((id, i) => (consented.has(id) ? [] : [`participants.${i}.familyMemberId`]));
      if (missing.length > 0) {
        throw new ProblemException('unprocessable', {
          detail: 'Only family members with a current family-involvement consent may be recorded',
          errors: missing.map((field) => ({ field, problems: [`${field} has no current consent`] })),
        });
      }
      const list = participants.map((p, i) => ({ familyMemberId: ids[i] as string, status: p.status }));
      await this.family.replace(tx.manager, appointmentId, list, {
        by: actor.principal.id,
        at: this.clock.now(),
      });
      await tx.publish('FamilyParticipationRecorded', {
        appointmentId,
        clientId: session.client_id,
        episodeId: session.episode_id,
        siteId: session.site_id,
        sessionDate: localDateOf(session.starts_at, timeZoneOf(site)),
        participants: list,
      });
      const record = { id: appointmentId, siteId: session.site_id, clientId: session.client_id };
      await this.scoped.audited(
        actor,
        'record',
        { resourceType: 'family-participation' },
        record,
        tx.manager,
      );
      return viewOf(appointmentId, await this.family.participants(tx.manager, appointmentId));
    });
  }

  async read(actor: Actor, appointmentId: string): Promise<FamilyParticipantsView> {
    return this.uow.run(async (tx) => {
      const session = await this.family.session(tx.manager, appointmentId);
      if (session === undefined) throw new ProblemException('not-found', { detail: 'No such appointment' });
      const site = await this.sites.site(tx.manager, session.site_id);
      const attempt = { action: 'read', resourceType: 'family-participation', resourceId: appointmentId };
      await this.scoped.assertSite(actor, site, { ...attempt, clientId: session.client_id });
      const record = { id: appointmentId, siteId: session.site_id, clientId: session.client_id };
      await this.scoped.audited(actor, 'read', { resourceType: 'family-participation' }, record, tx.manager);
      return viewOf(appointmentId, await this.family.participants(tx.manager, appointmentId));
    });
  }
}
