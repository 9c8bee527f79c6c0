import { DisclosedResourceType, InformationCategory } from '@stepwise/contracts';

/**
 * Which consent category lets an outside system read each resource type: the one place this is decided, for
 * the FHIR reads and for FHIR webhook payloads alike. A `Consent` needs none: it is shown to the recipient it
 * names (a revoked one too, so the recipient learns its access ended).
 */
export const CATEGORY_OF_RESOURCE: Readonly<Record<DisclosedResourceType, InformationCategory | null>> = {
  [DisclosedResourceType.Patient]: InformationCategory.Demographics,
  [DisclosedResourceType.EpisodeOfCare]: InformationCategory.LevelOfCare,
  [DisclosedResourceType.Appointment]: InformationCategory.Schedule,
  [DisclosedResourceType.Encounter]: InformationCategory.Attendance,
  [DisclosedResourceType.Consent]: null,
};
