import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { PlatformModule } from '@stepwise/platform';
import { SecurityModule } from '@stepwise/security';
import { type NotificationsConfig } from './config/notifications.config';
import { notificationsDatabase } from './notifications.service';

/** Root module of the notifications service: reminders, clinical alerts and consent-checked disclosures to recipients. */
@Module({})
export class NotificationsModule {
  static register(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        PlatformModule.forService({ service: 'notifications', config, database: notificationsDatabase }),
        SecurityModule.forService(),
        MessagingModule.forService({ schema: notificationsDatabase.schema }),
      ],
    };
  }
}
