import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';

/**
 * A FHIR search by patient: `patient={id}` or `patient=Patient/{id}` (FHIR reference search). Any other search
 * parameter is refused (400 OperationOutcome) rather than silently ignored.
 */
export class PatientSearchQuery {
  @ApiProperty({
    description: 'The client id, or Patient/{id}',
    example: 'Patient/0190a1b2-0000-7000-8000-000000000001',
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.startsWith('Patient/') ? value.slice('Patient/'.length) : value,
  )
  @IsUUID('all', { message: 'patient must be a Patient id (UUID) or Patient/{id}' })
  patient!: string;
}
