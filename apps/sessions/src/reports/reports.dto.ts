import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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
