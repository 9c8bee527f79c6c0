import { ApiProperty } from '@nestjs/swagger';
import { EmergencyAccessReason } from '@stepwise/contracts';
import { IsEnum } from 'class-validator';

/** Why the glass is broken: a reason code, never free text (the audit trail and the alert carry it). */
export class RequestEmergencyAccessDto {
  @ApiProperty({ enum: EmergencyAccessReason })
  @IsEnum(EmergencyAccessReason, {
    message: `reasonCode must be one of ${Object.values(EmergencyAccessReason).join(', ')}`,
  })
  reasonCode!: EmergencyAccessReason;
}

export class EmergencyAccessView {
  @ApiProperty() grantId!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty({ enum: EmergencyAccessReason }) reasonCode!: EmergencyAccessReason;
  @ApiProperty() grantedAt!: string;
  @ApiProperty({ description: 'The access ends at this instant' }) expiresAt!: string;
}
