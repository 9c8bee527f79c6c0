import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@stepwise/security';
import { IsISO8601, Matches } from 'class-validator';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export class BillableDaysQuery extends PageQuery {
  @ApiProperty({ description: 'The Monday of the ISO week, in the site time zone (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'weekStart must be a valid date' })
  @Matches(DATE_ONLY, { message: 'weekStart must be a date (YYYY-MM-DD)' })
  weekStart!: string;
}

export class UnbilledDayView {
  @ApiProperty() date!: string;
  @ApiProperty() attendedMinutes!: number;
  @ApiProperty({
    enum: ['no-billing-code', 'under-day-minimum', 'too-few-days-in-week', 'under-week-minimum'],
  })
  reason!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) code!: string | null;
}

export class BillableWeekView {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() weekStart!: string;
  @ApiProperty({ type: [String], description: "Days billable under the payer's day and week minimums" })
  billableDays!: string[];
  @ApiProperty({ type: [UnbilledDayView], description: 'Attended days not billable, and why' })
  unbilledDays!: UnbilledDayView[];
  @ApiProperty({ description: 'Minutes attended at the site that week' }) attendedMinutes!: number;
  @ApiProperty({ type: [String], description: 'The billing rule sets (`code@version`) applied' })
  ruleSetIds!: string[];
}

export class BillingExportQuery {
  @ApiProperty({ description: 'First day of the period, site time zone (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'from must be a valid date' })
  @Matches(DATE_ONLY, { message: 'from must be a date (YYYY-MM-DD)' })
  from!: string;

  @ApiProperty({ description: 'Last day of the period, inclusive; at most 92 days after from' })
  @IsISO8601({ strict: true }, { message: 'to must be a valid date' })
  @Matches(DATE_ONLY, { message: 'to must be a date (YYYY-MM-DD)' })
  to!: string;
}

export class BillingLineView {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() date!: string;
  @ApiProperty({ example: 'H0015' }) code!: string;
  @ApiProperty() units!: number;
  @ApiProperty({ example: 'AB', description: 'Claim diagnosis pointers (letters into diagnosisCodes)' })
  diagnosisPointers!: string;
  @ApiProperty({ type: [String], description: 'ICD-10-CM in force that day, primary first' })
  diagnosisCodes!: string[];
  @ApiProperty({ format: 'uuid', description: "Facilitator of the day's longest attended session" })
  renderingStaffId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) payerCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) authorizationNumber!: string | null;
  @ApiProperty() levelOfCare!: string;
  @ApiProperty() attendedMinutes!: number;
  @ApiProperty() ruleSetId!: string;
  @ApiProperty({
    type: [String],
    enum: ['no-diagnosis', 'no-authorization'],
    description: 'What holds the line',
  })
  holds!: string[];
}

export class UnbilledLineView extends UnbilledDayView {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() ruleSetId!: string;
}

/** The sums that tie the export to the attendance records of the site and period. */
export class ReconciliationView {
  @ApiProperty({ description: 'Attendance records at the site in the period (every outcome)' })
  attendanceRecords!: number;
  @ApiProperty({ description: 'Client days with minutes attended: billed days + unbilled days' })
  attendedDays!: number;
  @ApiProperty({ description: 'Minutes attended: billed minutes + unbilled minutes' })
  attendedMinutes!: number;
  @ApiProperty() billedDays!: number;
  @ApiProperty() billedMinutes!: number;
  @ApiProperty() billedUnits!: number;
  @ApiProperty() unbilledDays!: number;
  @ApiProperty() unbilledMinutes!: number;
}

export class BillingExportView {
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() generatedAt!: string;
  @ApiProperty({ type: [BillingLineView], description: 'One line per billable client day' })
  lines!: BillingLineView[];
  @ApiProperty({ type: [UnbilledLineView] }) unbilled!: UnbilledLineView[];
  @ApiProperty({ type: ReconciliationView }) reconciliation!: ReconciliationView;
}
