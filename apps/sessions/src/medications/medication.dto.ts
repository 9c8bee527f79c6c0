import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MedicationCode, SubstanceCode } from '@stepwise/contracts';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsUUID,
  Matches,
} from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Body of POST /v1/episodes/:episodeId/medications. */
export class AddMedicationDto {
  @ApiProperty({ enum: MedicationCode })
  @IsEnum(MedicationCode)
  medicationCode!: MedicationCode;

  @ApiProperty({ description: 'Medication-assisted treatment for the substance use disorder' })
  @IsBoolean()
  mat!: boolean;

  @ApiProperty({ format: 'uuid', description: 'Staff id of the prescriber' })
  @IsUUID('all', { message: 'prescriberId must be a UUID' })
  prescriberId!: string;

  @ApiProperty({ example: '2025-03-03', description: 'First day, in the site time zone' })
  @Matches(DATE, { message: 'startsOn must be a date (YYYY-MM-DD)' })
  startsOn!: string;

  @ApiPropertyOptional({
    enum: SubstanceCode,
    isArray: true,
    description:
      'Substances a drug screen is expected to detect while the client takes it; absent: for a MAT medication, ' +
      'those the program policy in force lists for its code (a care rule set), otherwise none',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsEnum(SubstanceCode, { each: true })
  expectedSubstances?: SubstanceCode[];
}

/** Body of POST /v1/medications/:medicationId/stop. */
export class StopMedicationDto {
  @ApiProperty({ example: '2025-05-30', description: 'Last day taken, in the site time zone' })
  @Matches(DATE, { message: 'stopsOn must be a date (YYYY-MM-DD)' })
  stopsOn!: string;
}

export class MedicationView {
  @ApiProperty({ format: 'uuid' }) medicationId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ enum: MedicationCode }) medicationCode!: MedicationCode;
  @ApiProperty() mat!: boolean;
  @ApiProperty({ format: 'uuid' }) prescriberId!: string;
  @ApiProperty() startsOn!: string;
  @ApiProperty({ nullable: true, type: String }) stopsOn!: string | null;
  @ApiProperty({ enum: SubstanceCode, isArray: true }) expectedSubstances!: SubstanceCode[];
}
