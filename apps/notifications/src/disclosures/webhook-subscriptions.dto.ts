import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ConsentPurpose,
  FHIR_WEBHOOK_EVENT_TYPES,
  RecipientKind,
  WEBHOOK_EVENT_TYPES,
  WebhookPayloadFormat,
} from '@stepwise/contracts';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsISO8601,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

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

  @ApiPropertyOptional({
    enum: WebhookPayloadFormat,
    default: WebhookPayloadFormat.CloudEventsJson,
    description:
      "What each delivery's CloudEvent carries as data: `cloudevents-json`, the event's payload and its disclosure; " +
      `\`fhir-r4\`, the FHIR R4 resource the event changed (offered for ${FHIR_WEBHOOK_EVENT_TYPES.join(', ')} only)`,
  })
  @IsOptional()
  @IsIn(Object.values(WebhookPayloadFormat), {
    message: `payloadFormat must be one of: ${Object.values(WebhookPayloadFormat).join(', ')}`,
  })
  payloadFormat?: WebhookPayloadFormat;
}

/** A week: long enough for a receiver to deploy the new secret, short enough that a leaked one dies soon. */
export const MAX_SECRET_OVERLAP_SECONDS = 7 * 24 * 3600;

/** Rotating a subscription's secret: how long the previous secret still signs alongside the new one. */
export class RotateSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_SECRET_OVERLAP_SECONDS,
    default: 86_400,
    description: 'Seconds both signatures are sent (0: the previous secret stops at once)',
  })
  @IsOptional()
  @IsInt({ message: 'overlapSeconds must be an integer' })
  @Min(0, { message: `overlapSeconds must be between 0 and ${MAX_SECRET_OVERLAP_SECONDS}` })
  @Max(MAX_SECRET_OVERLAP_SECONDS, {
    message: `overlapSeconds must be between 0 and ${MAX_SECRET_OVERLAP_SECONDS}`,
  })
  overlapSeconds?: number;
}

/** Re-enabling a disabled subscription: whether to deliver what it missed while disabled (a required choice). */
export class EnableSubscriptionDto {
  @ApiProperty({
    description:
      'true: queue again, in order, the deliveries it missed (withheld while disabled, or failed for good since its last successful delivery) whose consent still holds',
  })
  @IsBoolean({ message: 'deliverMissed must be true or false' })
  deliverMissed!: boolean;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A replay: the subscription's deliveries of events that happened in [from, to) are sent again. */
export class ReplayDto {
  @ApiProperty({
    example: '2026-11-01T00:00:00Z',
    description: 'Events that happened at or after this instant',
  })
  @IsString()
  @Matches(INSTANT, { message: 'from must be an instant with an offset (RFC 3339)' })
  @IsISO8601({ strict: true }, { message: 'from must be a valid instant' })
  from!: string;

  @ApiProperty({
    example: '2026-11-08T00:00:00Z',
    description: 'Events that happened before this instant (after from)',
  })
  @IsString()
  @Matches(INSTANT, { message: 'to must be an instant with an offset (RFC 3339)' })
  @IsISO8601({ strict: true }, { message: 'to must be a valid instant' })
  to!: string;
}
