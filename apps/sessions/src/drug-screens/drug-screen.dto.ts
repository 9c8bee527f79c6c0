import { ApiProperty } from '@nestjs/swagger';
import { DrugScreenResult, ScreenInterpretation, SubstanceCode } from '@stepwise/contracts';
import { ArrayMaxSize, IsArray, IsEnum, IsISO8601, IsUUID, Matches } from 'class-validator';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** Input of POST /v1/drug-screens: a result for a client's episode; id, site and recorder come from the server. */
export class RecordDrugScreenDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'episodeId must be a UUID' })
  episodeId!: string;

  @ApiProperty({ format: 'date-time', description: 'When the specimen was collected (rules use this time)' })
  @IsISO8601({ strict: true }, { message: 'collectedAt must be a valid instant' })
  @Matches(INSTANT, { message: 'collectedAt must be an instant with a time zone' })
  collectedAt!: string;

  @ApiProperty({ format: 'date-time', description: 'When the result came back; after collectedAt' })
  @IsISO8601({ strict: true }, { message: 'resultedAt must be a valid instant' })
  @Matches(INSTANT, { message: 'resultedAt must be an instant with a time zone' })
  resultedAt!: string;

  @ApiProperty({ enum: DrugScreenResult })
  @IsEnum(DrugScreenResult)
  result!: DrugScreenResult;

  @ApiProperty({ enum: SubstanceCode, isArray: true, description: 'Detected substances; only when positive' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsEnum(SubstanceCode, { each: true })
  substanceCodes!: SubstanceCode[];
}

export class DrugScreenView {
  @ApiProperty({ format: 'uuid' }) screenId!: string;
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ format: 'date-time' }) collectedAt!: string;
  @ApiProperty({ description: 'Collection date in the site time zone' }) collectedOn!: string;
  @ApiProperty({ format: 'date-time' }) resultedAt!: string;
  @ApiProperty({ enum: DrugScreenResult }) result!: DrugScreenResult;
  @ApiProperty({ enum: SubstanceCode, isArray: true }) substanceCodes!: SubstanceCode[];
  @ApiProperty({
    enum: ScreenInterpretation,
    description: "What the program's screen policy made of the result given the episode's medications",
  })
  interpretation!: ScreenInterpretation;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    description: 'Sobriety counted from here (the latest screen showing use)',
  })
  sobrietySince!: string | null;
}
