import { type Encounter } from '@medplum/fhirtypes';
import { SYSTEMS } from '../code-systems';
import { appointmentReference, episodeReference, instant, patientReference } from './references';

export interface EncounterFacts {
  /** The attendance record's id. */
  readonly attendanceId: string;
  readonly clientId: string;
  readonly appointmentId: string;
  readonly episodeId: string | null;
  /** present, late or left-early: only attended sessions are encounters. */
  readonly outcome: string;
  readonly minutesAttended: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** in-person or video. */
  readonly modality: string;
}

/**
 * An attended session as a finished Encounter: ambulatory (`AMB`) or virtual (`VR`), its scheduled period,
 * the minutes attended as its length, linked to the appointment and the episode of care. Missed sessions are
 * not encounters (they stay on the Appointment).
 */
export function toEncounter(facts: EncounterFacts): Encounter {
  const virtual = facts.modality === 'video';
  return {
    resourceType: 'Encounter',
    id: facts.attendanceId,
    status: 'finished',
    class: {
      system: SYSTEMS.actCode,
      code: virtual ? 'VR' : 'AMB',
      display: virtual ? 'virtual' : 'ambulatory',
    },
    type: [{ coding: [{ system: SYSTEMS.attendance, code: facts.outcome }] }],
    subject: patientReference(facts.clientId),
    ...(facts.episodeId === null ? {} : { episodeOfCare: [episodeReference(facts.episodeId)] }),
    appointment: [appointmentReference(facts.appointmentId)],
    period: { start: instant(facts.startsAt), end: instant(facts.endsAt) },
    length: { value: facts.minutesAttended, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
  };
}
