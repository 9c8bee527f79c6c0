import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsCode, IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { NotificationChannel, NotificationRecipientKind } from '../../vocabularies/notifications';
import { defineEvent } from '../define-event';
import { RECIPIENT_ID_DESCRIPTION, TRIGGER_EVENT_ID_DESCRIPTION } from '../descriptions';

export class NotificationSentV1Payload {
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

  @IsEnum(NotificationChannel)
  readonly channel!: NotificationChannel;

  @IsCode()
  @Describe('Template code and version, e.g. `appointment-reminder-24h@2`.')
  readonly templateId!: string;

  @IsInstant()
  readonly sentAt!: string;
}

export const NotificationSent = defineEvent({
  type: 'NotificationSent',
  version: 1,
  service: 'notifications',
  topic: Topics.NotificationsEvents,
  key: 'recipientId',
  confidentiality: Confidentiality.Internal,
  payload: NotificationSentV1Payload,
  summary: 'A notification was handed to its channel (email, SMS or webhook) successfully.',
});
