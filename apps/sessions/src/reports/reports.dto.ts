import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@stepwise/security';
import { IsISO8601, Matches } from 'class-validator';

export class BillableDaysQuery extends PageQuery {
  @ApiProperty({ description: 'The Monday of the ISO week, in the site time zone (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'weekStart must be a valid date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'weekStart must be a date (YYYY-MM-DD)' })
  weekStart!: string;
}

export class BillableWeekView {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() weekStart!: string;
  @ApiProperty({ type: [String], description: 'Days with at least the billing rule minutes attended' })
  billableDays!: string[];
  @ApiProperty() attendedMinutes!: number;
  @ApiProperty({ description: 'The versioned billing rule applied' }) billingRuleVersion!: string;
}

export class WeekHoursView {
  @ApiProperty() weekStart!: string;
  @ApiProperty() attendedMinutes!: number;
  @ApiProperty() requiredMinutes!: number;
  @ApiProperty({ description: 'Whether the week has closed (later fact or the calendar passed it)' })
  closed!: boolean;
  @ApiProperty({ description: 'Closed and below the minimum' }) short!: boolean;
}

export class ScreenSummaryView {
  @ApiProperty({ format: 'uuid' }) screenId!: string;
  @ApiProperty() collectedOn!: string;
  @ApiProperty() result!: string;
  @ApiProperty({ type: [String] }) substanceCodes!: string[];
}

export class RecommendationView {
  @ApiProperty({ format: 'uuid' }) recommendationId!: string;
  @ApiProperty({ enum: ['step-down', 'step-up'] }) direction!: string;
  @ApiProperty() fromLevel!: string;
  @ApiProperty() toLevel!: string;
  @ApiProperty() ruleSetVersion!: string;
  @ApiProperty() asOf!: string;
}

export class ProgressSummaryView {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() levelOfCare!: string;
  @ApiProperty() population!: string;
  @ApiProperty() admittedOn!: string;
  @ApiPropertyOptional({ nullable: true }) dischargedOn!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) sobrietySince!: string | null;
  @ApiProperty({ type: [WeekHoursView] }) weeks!: WeekHoursView[];
  @ApiProperty({ description: 'Attended share over the last 4 weeks up to the latest fact, 0 to 1' })
  attendanceRate!: number;
  @ApiProperty({ type: [ScreenSummaryView] }) screens!: ScreenSummaryView[];
  @ApiPropertyOptional({ nullable: true }) goalsMet!: number | null;
  @ApiPropertyOptional({ nullable: true }) goalsTotal!: number | null;
  @ApiProperty({ type: [RecommendationView] }) recommendations!: RecommendationView[];
}
