import { Injectable } from '@nestjs/common';
import { DisclosedResourceType } from '@stepwise/contracts';
import { toAppointment } from '@stepwise/fhir';
import { type Actor, type FhirSearchContext, ScopedRecords, ServedFhirReads } from '@stepwise/security';
import { DataSource } from 'typeorm';
import {
  APPOINTMENT_RECORD,
  type AppointmentRow,
  AppointmentsRepository,
} from '../appointments/appointments.repository';

/** The most appointments one search answers (the newest by start; intake accounts each answer). */
export const FHIR_SEARCH_LIMIT = 100;

const appointment = (row: AppointmentRow): ReturnType<typeof toAppointment> =>
  toAppointment({
    appointmentId: row.id,
    clientId: row.client_id,
    status: row.status,
    sessionType: row.session_type,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
  });

/**
 * Scheduling's FHIR R4 Appointments for outside systems: the record is found in the caller's network (404
 * otherwise, audited), then intake decides, labels and accounts the disclosure (`ServedFhirReads`); nothing
 * is answered that intake did not allow.
 */
@Injectable()
export class FhirAppointments {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ScopedRecords,
    private readonly appointments: AppointmentsRepository,
    private readonly reads: ServedFhirReads,
  ) {}

  async read(actor: Actor, appointmentId: string): Promise<string> {
    await this.records.load(actor, APPOINTMENT_RECORD, appointmentId, 'fhir-read');
    const row = await this.appointments.appointment(this.dataSource.manager, appointmentId);
    return this.reads.answer(
      actor,
      DisclosedResourceType.Appointment,
      { clientId: row.client_id, siteId: row.site_id, resourceId: row.id },
      [appointment(row)],
    );
  }

  /** The client's appointments at the sites of the caller's network, newest first, as a searchset Bundle. */
  async search(actor: Actor, clientId: string, where: FhirSearchContext): Promise<string> {
    const network = actor.principal.network;
    const rows =
      network === undefined
        ? []
        : await this.appointments.clientAppointmentsInNetwork(clientId, network, FHIR_SEARCH_LIMIT);
    return this.reads.answer(
      actor,
      DisclosedResourceType.Appointment,
      { clientId, ...(rows[0] === undefined ? {} : { siteId: rows[0].site_id }) },
      rows.map(appointment),
      where,
    );
  }
}
