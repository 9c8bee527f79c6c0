import { ServiceConfig } from '@stepwise/platform';

/** The notifications service's configuration: the shared variables, with its own default port. */
export class NotificationsConfig extends ServiceConfig {
  override PORT = 3004;
}
