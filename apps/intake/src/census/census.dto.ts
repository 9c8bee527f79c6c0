import { ApiProperty } from '@nestjs/swagger';
import { LevelOfCare } from '@stepwise/contracts';

/**
 * Intake's part of a site's census: who is in the program (the demographics only intake holds) and the
 * episode's clinical level, track and admission. Hours, screens and weeks in program come from sessions'
 * census, open alerts from notifications'; a screen joins the three by `clientId`.
 */
export class CensusEntryView {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ example: '1990-04-01' }) dateOfBirth!: string;
  @ApiProperty({ enum: LevelOfCare }) levelOfCare!: LevelOfCare;
  @ApiProperty({ format: 'uuid' }) programTrackId!: string;
  @ApiProperty({ format: 'uuid' }) primaryCounselorId!: string;
  @ApiProperty({ example: '2026-03-02', description: 'Admission day, site-local' }) admittedOn!: string;
}

export class CensusPage {
  @ApiProperty({ type: [CensusEntryView] }) items!: CensusEntryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}
