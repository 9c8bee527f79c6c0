import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LevelOfCare, type LevelOfCareEvidence, ReviewDeclineReason } from '@stepwise/contracts';
import { PageQuery } from '@stepwise/security';
import { IsEnum, IsIn, IsOptional, IsUUID } from 'class-validator';

/** What opened a review: a step-down or step-up recommendation, or the expected length of stay reached. */
export type ReviewDirection = 'step-down' | 'step-up' | 'length-of-stay';

/** The evidence of a length-of-stay review. */
export interface StayEvidence {
  readonly expectedStayWeeks: number;
  readonly admittedOn: string;
  readonly reachedOn: string;
}

export enum ReviewStatus {
  Open = 'open',
  Approved = 'approved',
  Declined = 'declined',
}

/** Why a clinician declined a recommended level change: the contract's codes (its declines are published). */
export { ReviewDeclineReason };

export class ApproveReviewDto {
  @ApiProperty({
    format: 'uuid',
    description: "The track at the recommended level the client moves to (scheduling's)",
  })
  @IsUUID('all', { message: 'programTrackId must be a UUID' })
  programTrackId!: string;
}

/** The reasons a clinician may give (`episode-ended` is intake's own). */
const CLINICIAN_REASONS = Object.values(ReviewDeclineReason).filter(
  (r) => r !== ReviewDeclineReason.EpisodeEnded,
);

export class DeclineReviewDto {
  @ApiProperty({ enum: CLINICIAN_REASONS })
  @IsIn(CLINICIAN_REASONS)
  reasonCode!: ReviewDeclineReason;
}

export class ReviewListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ReviewStatus, description: 'Default: every status' })
  @IsOptional()
  @IsEnum(ReviewStatus)
  status?: ReviewStatus;
}

export class ReviewView {
  @ApiProperty() id!: string;
  @ApiProperty() recommendationId!: string;
  @ApiProperty({ enum: ['step-down', 'step-up', 'length-of-stay'] }) direction!: ReviewDirection;
  @ApiProperty() clientId!: string;
  @ApiProperty() episodeId!: string;
  @ApiProperty() siteId!: string;
  @ApiProperty({ enum: LevelOfCare }) fromLevel!: LevelOfCare;
  @ApiProperty({ enum: LevelOfCare }) toLevel!: LevelOfCare;
  @ApiProperty({
    type: Object,
    description:
      'The facts the recommendation was made from (length of stay: expected weeks, admission, reached on)',
  })
  evidence!: LevelOfCareEvidence | StayEvidence;
  @ApiProperty() ruleSetVersion!: string;
  @ApiProperty() recommendedAt!: string;
  @ApiProperty({ enum: ReviewStatus }) status!: ReviewStatus;
  @ApiProperty({ nullable: true, type: String }) decidedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty({ nullable: true, enum: ReviewDeclineReason }) declineReason!: ReviewDeclineReason | null;
  @ApiProperty({ nullable: true, type: String }) programTrackId!: string | null;
}
