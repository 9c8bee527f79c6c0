import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '@stepwise/security';
import { DATE_ONLY } from './client.dto';

/**
 * What a client search looks for, sent as a POST body so that names and birth dates never appear in a URL
 * (URLs end up in access logs, browser history and proxies). At least one criterion is required; those given
 * must all match. The page's `limit` and `cursor` travel in the body too.
 */
export class ClientSearchDto extends PageQuery {
  @ApiProperty({ format: 'uuid', description: 'The site searched (one of the caller’s sites)' })
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId!: string;

  @ApiPropertyOptional({
    description:
      'Matches the start of the given or family name, or of "given family", ignoring case (at least 2 characters)',
  })
  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(2, { message: 'name must have at least 2 characters' })
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ example: '1990-04-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'dateOfBirth must be a valid date' })
  @Matches(DATE_ONLY, { message: 'dateOfBirth must be a date (YYYY-MM-DD)' })
  dateOfBirth?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId?: string;
}

/** A client found by a search: who, where, and the active episode if any (demographics only, no contacts). */
export class ClientSummaryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ example: '1990-04-01' }) dateOfBirth!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) activeEpisodeId!: string | null;
}

export class ClientSearchPage {
  @ApiProperty({ type: [ClientSummaryView] }) items!: ClientSummaryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}
