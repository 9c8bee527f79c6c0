import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ScreeningBand, ScreeningInstrument, UrgentFlag } from '@stepwise/contracts';
import { PageQuery } from '@stepwise/security';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export class SubmitScreeningDto {
  @ApiProperty({ enum: ScreeningInstrument })
  @IsEnum(ScreeningInstrument)
  instrument!: ScreeningInstrument;

  @ApiProperty({
    type: [Number],
    description:
      'Item scores in form order (DAST-10: 1 = yes, 0 = no for every item; item 3 is reversed when scored)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsInt({ each: true })
  answers!: number[];

  @ApiProperty({ description: 'When the client completed it (ISO 8601 instant)' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'completedAt must be an instant' })
  @Matches(INSTANT, { message: 'completedAt must be an ISO 8601 instant with a time zone' })
  completedAt!: string;

  @ApiPropertyOptional({
    description:
      "A stored band definition of the instrument (`code@version`); default: the instrument's default",
    example: 'ciwa-ar.mild-10-19@1',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9][a-z0-9.-]*@[1-9][0-9]{0,5}$/, { message: 'bandDefinition must be code@version' })
  bandDefinition?: string;
}

export class ScreeningListQuery extends PageQuery {}

export class ScreeningView {
  @ApiProperty() id!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty({ enum: ScreeningInstrument }) instrument!: ScreeningInstrument;
  @ApiProperty() instrumentVersion!: string;
  @ApiProperty({ type: [Number] }) answers!: number[];
  @ApiProperty() totalScore!: number;
  @ApiProperty({ enum: ScreeningBand }) band!: ScreeningBand;
  @ApiProperty() bandDefinitionVersion!: string;
  @ApiProperty({ enum: UrgentFlag, isArray: true }) urgentFlags!: UrgentFlag[];
  @ApiProperty() completedAt!: string;
}
