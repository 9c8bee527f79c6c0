import { ApiProperty } from '@nestjs/swagger';
import { IsIcd10CmCode } from '@stepwise/contracts';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsISO8601, Matches } from 'class-validator';
import { DATE_ONLY } from '../clients/client.dto';

/** An episode's diagnoses as a clinician records them: the whole list, primary first. */
export class RecordDiagnosesDto {
  @ApiProperty({
    type: [String],
    example: ['F10.20', 'F32.1'],
    description: 'ICD-10-CM codes with their dot, upper case, primary first; 1 to 12 (a claim holds 12)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @IsIcd10CmCode({ each: true })
  diagnosisCodes!: string[];

  @ApiProperty({
    example: '2026-03-02',
    description: 'First day the list holds (site time zone); not before admission or the previous revision',
  })
  @IsISO8601({ strict: true }, { message: 'effectiveOn must be a valid date' })
  @Matches(DATE_ONLY, { message: 'effectiveOn must be a date (YYYY-MM-DD)' })
  effectiveOn!: string;
}

export class DiagnosisRevisionView {
  @ApiProperty() revision!: number;
  @ApiProperty({ type: [String], description: 'ICD-10-CM, primary first' }) diagnosisCodes!: string[];
  @ApiProperty() effectiveOn!: string;
  @ApiProperty() recordedBy!: string;
  @ApiProperty() recordedAt!: string;
}

export class EpisodeDiagnosesView {
  @ApiProperty() episodeId!: string;
  @ApiProperty({ type: DiagnosisRevisionView, nullable: true, description: 'The latest revision' })
  current!: DiagnosisRevisionView | null;
  @ApiProperty({ type: [DiagnosisRevisionView], description: 'Every revision, oldest first' })
  history!: DiagnosisRevisionView[];
}
