import { Injectable } from '@nestjs/common';
import { localDateOf } from '@stepwise/care-rules';
import { type RescheduleReason } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException, ScopedRecords, refOf } from '@stepwise/security';
import { type AppointmentView, appointmentView } from './appointment.views';
import { APPOINTMENT_RECORD, AppointmentsRepository } from './appointments.repository';
import { sessionInterval } from './calendar-rules';
import { assertSlotFree } from './session-slot';

/** Moves an individual or family appointment (a group one follows its series); AppointmentRescheduled. */
@Injectable()
export class RescheduleAppointment {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly repository: AppointmentsRepository,
  ) {}

  async execute(
    actor: Actor,
    appointmentId: string,
    body: { startsAt: string; endsAt: string; reason: RescheduleReason },
  ): Promise<AppointmentView> {
    const { start, end } = sessionInterval(body.startsAt, body.endsAt);
    return this.unitOfWork.run(async (tx) => {
      const record = await this.records.load(
        actor,
        APPOINTMENT_RECORD,
        appointmentId,
        'reschedule',
        tx.manager,
      );
      const current = await this.repository.appointment(tx.manager, appointmentId);
      if (current.kind === 'group') {
        throw new ProblemException('unprocessable', {
          detail: 'A group appointment follows its series; reschedule individual and family sessions only',
        });
      }
      if (current.status !== 'scheduled')
        throw new ProblemException('invalid-transition', { detail: 'The appointment is cancelled' });
      const timeZone = await this.repository.siteTimeZone(tx.manager, current.site_id);
      await assertSlotFree(this.repository, tx, {
        siteId: current.site_id,
        facilitatorId: current.facilitator_id,
        room: current.room,
        start,
        end,
        except: current.occurrence_id,
      });
      await this.repository.move(
        tx.manager,
        { id: appointmentId, occurrenceId: current.occurrence_id },
        // A site is never deleted; UTC only guards a row the schema would not allow to be orphaned.
        { start, end, localDate: localDateOf(start, timeZone ?? 'UTC') },
      );
      await tx.publish('AppointmentRescheduled', {
        appointmentId,
        clientId: current.client_id,
        episodeId: current.episode_id,
        siteId: current.site_id,
        occurrenceId: current.occurrence_id,
        startsAt: start.toISOString(),
        endsAt: end.toISOString(),
        reason: body.reason,
      });
      await this.records.audited(
        actor,
        'reschedule',
        APPOINTMENT_RECORD,
        refOf(APPOINTMENT_RECORD, record),
        tx.manager,
      );
      return appointmentView(await this.repository.appointment(tx.manager, appointmentId));
    });
  }
}
