import { Controller, Get, Header, applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FHIR_JSON } from '@stepwise/fhir';
import { RequirePermission } from '../authorization/require-permission.decorator';

/**
 * A service's read-only FHIR R4 view for outside systems: served at `/fhir/r4` (outside `/v1`; errors become
 * OperationOutcomes there, see the problem filter), documented as `application/fhir+json`.
 */
export const FhirApi = (): ClassDecorator =>
  applyDecorators(
    ApiTags('FHIR R4 (outside systems, consent-checked)'),
    ApiProduces(FHIR_JSON),
    Controller('fhir/r4'),
  );

/** A FHIR read route (`path` under /fhir/r4): integration tokens only (`fhir:read`), answered as FHIR JSON. */
export const FhirRead = (path: string, description: string): MethodDecorator =>
  applyDecorators(
    Get(path),
    Header('Content-Type', FHIR_JSON),
    RequirePermission('fhir:read'),
    ApiOkResponse({ description }),
  );
