import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FHIR_JSON } from '@stepwise/fhir';
import {
  type Actor,
  CurrentActor,
  ParseIdPipe,
  PatientSearchQuery,
  RequirePermission,
  fhirSearchContext,
} from '@stepwise/security';
import type { Request } from 'express';
import { FhirEncounters } from './fhir-encounters';

/**
 * The read-only FHIR R4 Encounters (attended sessions) for outside systems (integration tokens). Every read is decided,
 * audited and accounted by intake, where the consents are; errors are OperationOutcomes
 * (`application/fhir+json`), and 503 when intake cannot decide (nothing is disclosed then).
 */
@ApiTags('FHIR R4 (outside systems, consent-checked)')
@ApiProduces(FHIR_JSON)
@Controller('fhir/r4')
export class FhirController {
  constructor(private readonly encounters: FhirEncounters) {}

  @Get('Encounter/:id')
  @Header('Content-Type', FHIR_JSON)
  @RequirePermission('fhir:read')
  @ApiOkResponse({ description: 'An Encounter (an attended session); needs a consent covering attendance' })
  encounter(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.encounters.read(actor, id);
  }

  @Get('Encounter')
  @Header('Content-Type', FHIR_JSON)
  @RequirePermission('fhir:read')
  @ApiOkResponse({ description: "A searchset Bundle of the client's attended sessions (the newest 100)" })
  search(
    @CurrentActor() actor: Actor,
    @Query() query: PatientSearchQuery,
    @Req() request: Request,
  ): Promise<string> {
    return this.encounters.search(actor, query.patient, fhirSearchContext(request));
  }
}
