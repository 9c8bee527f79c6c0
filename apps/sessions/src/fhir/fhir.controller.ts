import { Param, Query, Req } from '@nestjs/common';
import {
  type Actor,
  CurrentActor,
  FhirApi,
  FhirRead,
  ParseIdPipe,
  PatientSearchQuery,
  fhirSearchContext,
} from '@stepwise/security';
import type { Request } from 'express';
import { FhirEncounters } from './fhir-encounters';

/**
 * The read-only FHIR R4 Encounters (attended sessions) for outside systems (integration tokens). Every read is decided,
 * audited and accounted by intake, where the consents are; errors are OperationOutcomes
 * (`application/fhir+json`), and 503 when intake cannot decide (nothing is disclosed then).
 */
@FhirApi()
export class FhirController {
  constructor(private readonly encounters: FhirEncounters) {}

  @FhirRead('Encounter/:id', 'An Encounter (an attended session); needs a consent covering attendance')
  encounter(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.encounters.read(actor, id);
  }

  @FhirRead('Encounter', "A searchset Bundle of the client's attended sessions (the newest 100)")
  search(
    @CurrentActor() actor: Actor,
    @Query() query: PatientSearchQuery,
    @Req() request: Request,
  ): Promise<string> {
    return this.encounters.search(actor, query.patient, fhirSearchContext(request));
  }
}
