import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FHIR_JSON } from '@stepwise/fhir';
import {
  type Actor,
  CurrentActor,
  ParseIdPipe,
  PatientSearchQuery,
  RequirePermission,
  fhirSearchContext as searchContext,
} from '@stepwise/security';
import type { Request } from 'express';

import { FhirResources } from './fhir-resources';

/**
 * The read-only FHIR R4 view for outside systems (integration tokens): what a client's consents let the
 * caller see of what intake owns. Every read is consent-checked, audited and accounted (`FhirDisclosure`);
 * errors are OperationOutcomes (`application/fhir+json`).
 */
@ApiTags('FHIR R4 (outside systems, consent-checked)')
@ApiProduces(FHIR_JSON)
@Controller('fhir/r4')
export class FhirController {
  constructor(private readonly resources: FhirResources) {}

  @Get('Patient/:id')
  @Header('Content-Type', FHIR_JSON)
  @RequirePermission('fhir:read')
  @ApiOkResponse({ description: 'The minimal Patient; needs a consent covering demographics' })
  patient(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.resources.patient(actor, id);
  }

  @Get('EpisodeOfCare/:id')
  @Header('Content-Type', FHIR_JSON)
  @RequirePermission('fhir:read')
  @ApiOkResponse({ description: 'An EpisodeOfCare; needs a consent covering level-of-care' })
  episode(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.resources.episode(actor, id);
  }

  @Get('EpisodeOfCare')
  @Header('Content-Type', FHIR_JSON)
  @RequirePermission('fhir:read')
  @ApiOkResponse({ description: "A searchset Bundle of the client's episodes of care" })
  episodes(
    @CurrentActor() actor: Actor,
    @Query() query: PatientSearchQuery,
    @Req() request: Request,
  ): Promise<string> {
    return this.resources.episodesOf(actor, query.patient, searchContext(request));
  }

  @Get('Consent/:id')
  @Header('Content-Type', FHIR_JSON)
  @RequirePermission('fhir:read')
  @ApiOkResponse({ description: 'A consent that names the caller (a revoked one too)' })
  consent(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.resources.consent(actor, id);
  }

  @Get('Consent')
  @Header('Content-Type', FHIR_JSON)
  @RequirePermission('fhir:read')
  @ApiOkResponse({ description: "A searchset Bundle of the client's consents that name the caller" })
  consents(
    @CurrentActor() actor: Actor,
    @Query() query: PatientSearchQuery,
    @Req() request: Request,
  ): Promise<string> {
    return this.resources.consentsOf(actor, query.patient, searchContext(request));
  }
}
