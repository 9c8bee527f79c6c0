import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import {
  NotificationChannel,
  NotificationErrorCode,
  NotificationRecipientKind,
} from '../../vocabularies/notifications';
import { defineEvent } from '../define-event';
import { RECIPIENT_ID_DESCRIPTION, TRIGGER_EVENT_ID_DESCRIPTION } from '../descriptions';

export class NotificationFailedV1Payload {
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

  @IsIntBetween(1, 100)
  @Describe('Delivery attempts made before giving up.')
  readonly attempts!: number;

  @IsEnum(NotificationErrorCode)
  readonly errorCode!: NotificationErrorCode;

  @IsInstant()
  readonly failedAt!: string;
}

export const NotificationFailed = defineEvent({
  type: 'NotificationFailed',
  version: 1,
  service: 'notifications',
  topic: Topics.NotificationsEvents,
  key: 'recipientId',
  confidentiality: Confidentiality.Internal,
  payload: NotificationFailedV1Payload,
  summary: 'A notification could not be delivered after its retries.',
});
