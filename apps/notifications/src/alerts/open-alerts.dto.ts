import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@stepwise/security';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

export class OpenAlertsQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '2027-03-01T00:00:00Z',
    description:
      'Alerts that need no acknowledgement count as open when raised since then; default: 7 days ago',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'since must be an instant with an offset (RFC 3339)',
  })
  @IsISO8601({ strict: true }, { message: 'since must be a valid instant' })
  since?: string;
}

/** One clinical alert (one triggering fact, whoever received it), by reference and code only. */
export class OpenAlertView {
  @ApiProperty({
    format: 'uuid',
    description: "The alert to acknowledge (the caller's own copy when they received it)",
  })
  alertId!: string;
  @ApiProperty({ example: 'weekly-hours-shortfall' }) alert!: string;
  @ApiProperty() urgent!: boolean;
  @ApiProperty({ description: 'Urgent and not acknowledged by anyone yet' })
  awaitingAcknowledgement!: boolean;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
}

/**
 * Notifications' part of a site's census, per client with open alerts: urgent alerts nobody acknowledged yet,
 * and other alerts raised since `since`, none withdrawn. Join intake's census by `clientId`.
 */
export class ClientAlertsView {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ type: [OpenAlertView], description: 'Oldest first' }) alerts!: OpenAlertView[];
}

export class ClientAlertsPage {
  @ApiProperty({ type: [ClientAlertsView] }) items!: ClientAlertsView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}
