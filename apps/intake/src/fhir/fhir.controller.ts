import { Param, Query, Req } from '@nestjs/common';
import {
  type Actor,
  CurrentActor,
  FhirApi,
  FhirRead,
  ParseIdPipe,
  PatientSearchQuery,
  fhirSearchContext as searchContext,
} from '@stepwise/security';
import type { Request } from 'express';
import { FhirResources } from './fhir-resources';

/**
 * The read-only FHIR R4 view for outside systems (integration tokens): what a client's consents let the
 * caller see of what intake owns. Every read is consent-checked, audited and accounted (`FhirDisclosure`);
 * errors are OperationOutcomes (`application/fhir+json`).
 */
@FhirApi()
export class FhirController {
  constructor(private readonly resources: FhirResources) {}

  @FhirRead('Patient/:id', 'The minimal Patient; needs a consent covering demographics')
  patient(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.resources.patient(actor, id);
  }

  @FhirRead('EpisodeOfCare/:id', 'An EpisodeOfCare; needs a consent covering level-of-care')
  episode(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.resources.episode(actor, id);
  }

  @FhirRead('EpisodeOfCare', "A searchset Bundle of the client's episodes of care")
  episodes(
    @CurrentActor() actor: Actor,
    @Query() query: PatientSearchQuery,
    @Req() request: Request,
  ): Promise<string> {
    return this.resources.episodesOf(actor, query.patient, searchContext(request));
  }

  @FhirRead('Consent/:id', 'A consent that names the caller (a revoked one too)')
  consent(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.resources.consent(actor, id);
  }

  @FhirRead('Consent', "A searchset Bundle of the client's consents that name the caller")
  consents(
    @CurrentActor() actor: Actor,
    @Query() query: PatientSearchQuery,
    @Req() request: Request,
  ): Promise<string> {
    return this.resources.consentsOf(actor, query.patient, searchContext(request));
  }
}
