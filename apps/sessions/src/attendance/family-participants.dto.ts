import { ApiProperty } from '@nestjs/swagger';
import { FamilyParticipation } from '@stepwise/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEnum, IsUUID, ValidateNested } from 'class-validator';

export class FamilyParticipantDto {
  @ApiProperty({
    format: 'uuid',
    description: "A family member named in one of the client's consents (intake)",
  })
  @IsUUID('all', { message: 'familyMemberId must be a UUID' })
  familyMemberId!: string;

  @ApiProperty({ enum: FamilyParticipation })
  @IsEnum(FamilyParticipation)
  status!: FamilyParticipation;
}

/** Body of PUT /v1/appointments/:appointmentId/family-participants: the whole list for the session. */
export class RecordFamilyParticipantsDto {
  @ApiProperty({ type: [FamilyParticipantDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique((p: FamilyParticipantDto) => p.familyMemberId, { message: 'a family member is listed twice' })
  @ValidateNested({ each: true })
  @Type(() => FamilyParticipantDto)
  participants!: FamilyParticipantDto[];
}

export class FamilyParticipantsView {
  @ApiProperty({ format: 'uuid' }) appointmentId!: string;
  @ApiProperty({ type: [FamilyParticipantDto] }) participants!: FamilyParticipantDto[];
  @ApiProperty({ description: 'Family members present (never part of the client’s attended minutes)' })
  present!: number;
  @ApiProperty() absent!: number;
}
