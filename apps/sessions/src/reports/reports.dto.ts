import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DrugScreenResult } from '@stepwise/contracts';
import { PageQuery } from '@stepwise/security';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

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

export class CensusQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '2027-03-10',
    description: "The site-local day the census is for (its week's hours); default: today at the site",
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'date must be a valid date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date (YYYY-MM-DD)' })
  date?: string;
}

export class LastScreenView {
  @ApiProperty() collectedOn!: string;
  @ApiProperty({ enum: DrugScreenResult }) result!: DrugScreenResult;
}

/**
 * Sessions' part of a site's census, per active episode: the week's hours against the level's minimum, the
 * last drug screen, and weeks in the program against the expected length. Names are intake's (its census),
 * open alerts notifications'; a screen joins the three by `clientId`.
 */
export class CensusProgressView {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() levelOfCare!: string;
  @ApiProperty({ format: 'uuid' }) programTrackId!: string;
  @ApiProperty({ description: 'Monday of the week holding `date`' }) weekStart!: string;
  @ApiProperty() attendedMinutes!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Null: the level sets no weekly minimum' })
  requiredMinutes!: number | null;
  @ApiProperty() admittedOn!: string;
  @ApiProperty({ description: 'Whole weeks from admission to `date`' }) weeksInProgram!: number;
  @ApiProperty({ nullable: true, type: Number, description: "The track's, else the level's program shape" })
  expectedStayWeeks!: number | null;
  @ApiProperty({ nullable: true, type: LastScreenView }) lastScreen!: LastScreenView | null;
}

export class CensusProgressPage {
  @ApiProperty({ type: [CensusProgressView] }) items!: CensusProgressView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}
