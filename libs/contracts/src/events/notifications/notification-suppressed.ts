import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsInstant, Optional } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import {
  NotificationChannel,
  NotificationRecipientKind,
  SuppressionReason,
} from '../../vocabularies/notifications';
import { defineEvent } from '../define-event';
import { RECIPIENT_ID_DESCRIPTION, TRIGGER_EVENT_ID_DESCRIPTION } from '../descriptions';

export class NotificationSuppressedV1Payload {
  @IsUUID()
  readonly notificationId!: string;

  @IsUUID()
  @Describe(RECIPIENT_ID_DESCRIPTION)
  readonly recipientId!: string;

  @IsEnum(NotificationRecipientKind)
  readonly recipientKind!: NotificationRecipientKind;

  @IsUUID()
  @Describe(TRIGGER_EVENT_ID_DESCRIPTION)
  readonly triggerEventId!: string;

  @Optional()
  @IsEnum(NotificationChannel)
  @Describe('The channel that would have been used, when one had been chosen.')
  readonly channel?: NotificationChannel;

  @IsEnum(SuppressionReason)
  readonly reason!: SuppressionReason;

  @IsInstant()
  readonly suppressedAt!: string;
}

export const NotificationSuppressed = defineEvent({
  type: 'NotificationSuppressed',
  version: 1,
  service: 'notifications',
  topic: Topics.NotificationsEvents,
  key: 'recipientId',
  confidentiality: Confidentiality.Internal,
  payload: NotificationSuppressedV1Payload,
  summary: 'A notification was deliberately not sent (no consent, opted out, quiet hours, duplicate).',
});
