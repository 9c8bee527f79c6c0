import { InformationCategory } from '@stepwise/contracts';

/** The resource types the FHIR view serves. */
export type FhirResourceType = 'Patient' | 'EpisodeOfCare' | 'Appointment' | 'Encounter' | 'Consent';

/**
 * Which consent category lets an outside system read each resource type: the one place this is decided, for
 * the FHIR reads and for FHIR webhook payloads alike. A `Consent` needs none: it is shown to the recipient it
 * names (a revoked one too, so the recipient learns its access ended).
 */
export const CATEGORY_OF_RESOURCE: Readonly<Record<FhirResourceType, InformationCategory | null>> = {
  Patient: InformationCategory.Demographics,
  EpisodeOfCare: InformationCategory.LevelOfCare,
  Appointment: InformationCategory.Schedule,
  Encounter: InformationCategory.Attendance,
  Consent: null,
};
