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
import { FhirAppointments } from './fhir-appointments';

/**
 * The read-only FHIR R4 Appointments for outside systems (integration tokens). Every read is decided,
 * audited and accounted by intake, where the consents are; errors are OperationOutcomes
 * (`application/fhir+json`), and 503 when intake cannot decide (nothing is disclosed then).
 */
@FhirApi()
export class FhirController {
  constructor(private readonly appointments: FhirAppointments) {}

  @FhirRead('Appointment/:id', 'An Appointment; needs a consent covering schedule')
  appointment(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.appointments.read(actor, id);
  }

  @FhirRead('Appointment', "A searchset Bundle of the client's appointments (the newest 100)")
  search(
    @CurrentActor() actor: Actor,
    @Query() query: PatientSearchQuery,
    @Req() request: Request,
  ): Promise<string> {
    return this.appointments.search(actor, query.patient, fhirSearchContext(request));
  }
}
