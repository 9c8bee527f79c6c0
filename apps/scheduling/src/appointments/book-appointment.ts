import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { localDateOf } from '@stepwise/care-rules';
import { Modality } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { type BookAppointmentDto } from './appointment.dto';
import { type AppointmentView, appointmentView } from './appointment.views';
import { APPOINTMENT_RECORD, AppointmentsRepository } from './appointments.repository';
import { sessionInterval } from './calendar-rules';
import { assertSlotFree } from './session-slot';

/** Books an individual or family session at a site: facilitator and room must be free (409 otherwise). */
@Injectable()
export class BookAppointment {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly repository: AppointmentsRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, siteId: string, body: BookAppointmentDto): Promise<AppointmentView> {
    const { start, end } = sessionInterval(body.startsAt, body.endsAt);
    if ((body.room === undefined) === (body.videoLink === undefined)) {
      throw new ProblemException('unprocessable', { detail: 'Give exactly one of room and videoLink' });
    }
    if (start.getTime() < this.clock.now().getTime()) {
      throw new ProblemException('unprocessable', { detail: 'An appointment cannot start in the past' });
    }
    await this.records.assertSite(actor, { siteId }, { action: 'create', resourceType: 'appointment' });
    return this.unitOfWork.run(async (tx) => {
      const timeZone = await this.repository.siteTimeZone(tx.manager, siteId);
      if (timeZone === undefined) throw new ProblemException('not-found', { detail: 'No such site' });
      if (!(await this.repository.isActiveStaffAt(tx.manager, body.facilitatorId, siteId)))
        throw new ProblemException('not-found', { detail: 'No such staff member here' });
      const room = body.room ?? null;
      await assertSlotFree(this.repository, tx, {
        siteId,
        facilitatorId: body.facilitatorId,
        room,
        start,
        end,
      });
      const occurrenceId = randomUUID();
      const id = randomUUID();
      const modality = body.room === undefined ? Modality.Telehealth : Modality.InPerson;
      await this.repository.insertSession(tx.manager, {
        occurrenceId,
        appointmentId: id,
        siteId,
        kind: body.kind,
        sessionType: body.sessionType,
        facilitatorId: body.facilitatorId,
        room,
        videoLink: body.videoLink ?? null,
        modality,
        localDate: localDateOf(start, timeZone),
        clientId: body.clientId,
        episodeId: body.episodeId,
        start,
        end,
      });
      await tx.publish('AppointmentScheduled', {
        appointmentId: id,
        clientId: body.clientId,
        episodeId: body.episodeId,
        kind: body.kind,
        sessionType: body.sessionType,
        occurrenceId,
        siteId,
        startsAt: start.toISOString(),
        endsAt: end.toISOString(),
        modality,
        facilitatorId: body.facilitatorId,
      });
      const record = { id, siteId, clientId: body.clientId };
      await this.records.audited(actor, 'create', APPOINTMENT_RECORD, record, tx.manager);
      return appointmentView(await this.repository.appointment(tx.manager, id));
    });
  }
}
