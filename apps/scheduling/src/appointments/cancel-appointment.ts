import { Injectable } from '@nestjs/common';
import { type CancellationReason } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords, refOf } from '@stepwise/security';
import { type AppointmentView, appointmentView } from './appointment.views';
import { APPOINTMENT_RECORD, AppointmentsRepository } from './appointments.repository';

/**
 * Cancels any scheduled appointment with a reason code; AppointmentCancelled. An individual or family
 * session's occurrence goes with it; a group occurrence stays for the other attendees.
 */
@Injectable()
export class CancelAppointment {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly repository: AppointmentsRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, appointmentId: string, reason: CancellationReason): Promise<AppointmentView> {
    return this.unitOfWork.run(async (tx) => {
      const record = await this.records.load(actor, APPOINTMENT_RECORD, appointmentId, 'cancel', tx.manager);
      const current = await this.repository.appointment(tx.manager, appointmentId);
      if (!(await this.repository.cancel(tx.manager, appointmentId, reason)))
        throw new ProblemException('invalid-transition', { detail: 'The appointment is already cancelled' });
      if (current.kind !== 'group') await this.repository.cancelOccurrence(tx.manager, current.occurrence_id);
      await tx.publish('AppointmentCancelled', {
        appointmentId,
        clientId: current.client_id,
        episodeId: current.episode_id,
        siteId: current.site_id,
        reason,
        cancelledAt: this.clock.now().toISOString(),
      });
      await this.records.audited(
        actor,
        'cancel',
        APPOINTMENT_RECORD,
        refOf(APPOINTMENT_RECORD, record),
        tx.manager,
      );
      return appointmentView(await this.repository.appointment(tx.manager, appointmentId));
    });
  }
}
