import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { CancellationReason } from '@stepwise/contracts';
import { WeeklySlotDto } from '../reference/reference.dto';
import { IsLocalDate } from '../reference/validators';

/**
 * Body of POST /v1/sites/:siteId/group-series: one weekly slot (weekday, start, minutes, session type) of a
 * track, with its facilitator, place and capacity.
 */
export class CreateGroupSeriesDto extends WeeklySlotDto {
  @ApiProperty()
  @IsUUID('all')
  programTrackId!: string;

  @ApiProperty()
  @IsUUID('all')
  facilitatorId!: string;

  @ApiPropertyOptional({ description: 'In person: the room; exactly one of room and videoLink' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  room?: string;

  @ApiPropertyOptional({ description: 'Telehealth: the video link; exactly one of room and videoLink' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsUrl({ protocols: ['https'], require_protocol: true })
  videoLink?: string;

  @ApiProperty({ minimum: 1, maximum: 200 })
  @IsInt()
  @Min(1)
  @Max(200)
  capacity!: number;

  @ApiProperty({ example: '2026-12-01', description: 'First day of the series, in the site time zone' })
  @IsString()
  @IsLocalDate()
  startsOn!: string;
}

/** Body of POST /v1/group-series/:seriesId/members/:clientId/withdraw. */
export class WithdrawDto {
  @ApiProperty({ enum: CancellationReason })
  @IsEnum(CancellationReason)
  reason!: CancellationReason;
}
