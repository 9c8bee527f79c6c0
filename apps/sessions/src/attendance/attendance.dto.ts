import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MissedSessionReason } from '@stepwise/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { type AttendanceOutcome } from '@stepwise/care-rules';

export const ATTENDANCE_STATUSES: readonly AttendanceOutcome[] = [
  'present',
  'late',
  'left-early',
  'absent',
  'excused',
];

export class AttendanceEntryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'appointmentId must be a UUID' })
  appointmentId!: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  status!: AttendanceOutcome;

  @ApiPropertyOptional({
    description:
      'Minutes attended (present: defaults to the whole session; late, left-early: required; 0 or absent when missed)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  minutesAttended?: number;

  @ApiPropertyOptional({ enum: MissedSessionReason, description: 'Required when absent or excused' })
  @IsOptional()
  @IsEnum(MissedSessionReason)
  reasonCode?: MissedSessionReason;
}

/** Input of PUT /v1/occurrences/{occurrenceId}/attendance: the whole group, one entry per appointment. */
export class RecordAttendanceDto {
  @ApiProperty({ type: [AttendanceEntryDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AttendanceEntryDto)
  entries!: AttendanceEntryDto[];
}

export class AttendanceView {
  @ApiProperty({ format: 'uuid' }) attendanceId!: string;
  @ApiProperty({ format: 'uuid' }) appointmentId!: string;
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) status!: AttendanceOutcome;
  @ApiProperty() minutesAttended!: number;
  @ApiPropertyOptional({ enum: MissedSessionReason, nullable: true }) reasonCode!: MissedSessionReason | null;
  @ApiProperty({ description: 'Session date in the site time zone' }) sessionDate!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ description: 'Whether this request changed the record (and published a new revision)' })
  changed!: boolean;
}

export class OccurrenceAttendanceView {
  @ApiProperty({ format: 'uuid' }) occurrenceId!: string;
  @ApiProperty({ type: [AttendanceView] }) records!: AttendanceView[];
}
