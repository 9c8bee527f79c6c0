import { type Appointment, type EpisodeOfCare, type Patient, type Reference } from '@medplum/fhirtypes';

/** A reference to one of the resources this view serves, by its logical id (the program's UUID). */
export const patientReference = (clientId: string): Reference<Patient> => ({
  reference: `Patient/${clientId}`,
});
export const episodeReference = (episodeId: string): Reference<EpisodeOfCare> => ({
  reference: `EpisodeOfCare/${episodeId}`,
});
export const appointmentReference = (appointmentId: string): Reference<Appointment> => ({
  reference: `Appointment/${appointmentId}`,
});

/** A date-time as FHIR wants it: ISO 8601 with the zone (UTC here). */
export const instant = (at: Date): string => at.toISOString();
