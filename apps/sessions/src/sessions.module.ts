import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { PlatformModule } from '@stepwise/platform';
import { SecurityModule } from '@stepwise/security';
import { type SessionsConfig } from './config/sessions.config';
import { sessionsDatabase } from './sessions.service';

/** Root module of the sessions service: session records, attendance, clinical notes, drug screens, weekly hours and progress rules. */
@Module({})
export class SessionsModule {
  static register(config: SessionsConfig): DynamicModule {
    return {
      module: SessionsModule,
      imports: [
        PlatformModule.forService({ service: 'sessions', config, database: sessionsDatabase }),
        SecurityModule.forService(),
        MessagingModule.forService({ schema: sessionsDatabase.schema }),
      ],
    };
  }
}
