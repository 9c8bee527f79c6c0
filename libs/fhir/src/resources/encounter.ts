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
  /** The scheduled times; null when not known (the attendance event tells only the session's date). */
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  /** YYYY-MM-DD (the site's calendar): the period, as a day, when the times are not known. */
  readonly sessionDate?: string;
  /** in-person or video; null when not known. */
  readonly modality: string | null;
}

/**
 * `Encounter.class` is required; when the modality is not known the element says so with the standard
 * data-absent-reason extension rather than guessing ambulatory or virtual.
 */
function encounterClass(modality: string | null): Encounter['class'] {
  if (modality === null)
    return {
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' },
      ],
    };
  const virtual = modality === 'video';
  return {
    system: SYSTEMS.actCode,
    code: virtual ? 'VR' : 'AMB',
    display: virtual ? 'virtual' : 'ambulatory',
  };
}

function period(facts: EncounterFacts): Encounter['period'] {
  if (facts.startsAt !== null && facts.endsAt !== null)
    return { start: instant(facts.startsAt), end: instant(facts.endsAt) };
  return facts.sessionDate === undefined ? undefined : { start: facts.sessionDate, end: facts.sessionDate };
}

/**
 * An attended session as a finished Encounter: ambulatory (`AMB`) or virtual (`VR`), its scheduled period,
 * the minutes attended as its length, linked to the appointment and the episode of care. Missed sessions are
 * not encounters (they stay on the Appointment).
 */
export function toEncounter(facts: EncounterFacts): Encounter {
  const when = period(facts);
  return {
    resourceType: 'Encounter',
    id: facts.attendanceId,
    status: 'finished',
    class: encounterClass(facts.modality),
    type: [{ coding: [{ system: SYSTEMS.attendance, code: facts.outcome }] }],
    subject: patientReference(facts.clientId),
    ...(facts.episodeId === null ? {} : { episodeOfCare: [episodeReference(facts.episodeId)] }),
    appointment: [appointmentReference(facts.appointmentId)],
    ...(when === undefined ? {} : { period: when }),
    length: { value: facts.minutesAttended, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
  };
}
