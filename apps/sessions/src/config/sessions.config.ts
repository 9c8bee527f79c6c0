import { ServiceConfig } from '@stepwise/platform';

/** The sessions service's configuration: the shared variables, with its own default port. */
export class SessionsConfig extends ServiceConfig {
  override PORT = 3003;
}
