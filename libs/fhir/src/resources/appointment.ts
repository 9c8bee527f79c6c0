import { type Appointment } from '@medplum/fhirtypes';
import { SYSTEMS } from '../code-systems';
import { instant, patientReference } from './references';

export interface AppointmentFacts {
  readonly appointmentId: string;
  readonly clientId: string;
  /** scheduling's status: 'scheduled' or 'cancelled'. */
  readonly status: string;
  /** group, individual, family ...; null when not known (a reschedule does not repeat it). */
  readonly sessionType: string | null;
  /** Null when not known (a cancellation does not repeat the time; R4 lets a cancelled one go without). */
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
}

/**
 * A client's appointment: booked or cancelled, its session type and time, the client as the one participant
 * shown (staff, rooms and other attendees are not disclosed).
 */
export function toAppointment(facts: AppointmentFacts): Appointment {
  const cancelled = facts.status === 'cancelled';
  return {
    resourceType: 'Appointment',
    id: facts.appointmentId,
    status: cancelled ? 'cancelled' : 'booked',
    ...(facts.sessionType === null
      ? {}
      : { serviceType: [{ coding: [{ system: SYSTEMS.sessionType, code: facts.sessionType }] }] }),
    ...(facts.startsAt === null || facts.endsAt === null
      ? {}
      : {
          start: instant(facts.startsAt),
          end: instant(facts.endsAt),
          minutesDuration: Math.round((facts.endsAt.getTime() - facts.startsAt.getTime()) / 60_000),
        }),
    participant: [
      {
        actor: patientReference(facts.clientId),
        required: 'required',
        status: cancelled ? 'declined' : 'accepted',
      },
    ],
  };
}
