import { ApiProperty } from '@nestjs/swagger';
import { ConsentPurpose, RecipientKind, WEBHOOK_EVENT_TYPES } from '@stepwise/contracts';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsUUID, IsUrl, MaxLength } from 'class-validator';

/** An outside system's subscription: who it is (as consents name it), for what purposes, which care events. */
export class CreateSubscriptionDto {
  @ApiProperty({ description: 'The organisation as consents name it (ConsentGranted.recipient.id).' })
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId!: string;

  @ApiProperty({ enum: RecipientKind })
  @IsIn(Object.values(RecipientKind).filter((k) => k !== RecipientKind.FamilyMember))
  recipientKind!: RecipientKind;

  @ApiProperty({ enum: ConsentPurpose, isArray: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsIn(Object.values(ConsentPurpose), { each: true })
  purposes!: ConsentPurpose[];

  @ApiProperty({
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    example: ['SessionAttended'],
    description:
      'Care events to receive (libs/contracts/generated/webhooks.asyncapi.json says what each needs).',
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes!: string[];

  @ApiProperty({ example: 'https://ehr.example.org/hooks/stepwise' })
  @MaxLength(2000)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  url!: string;
}
