import { ServiceConfig } from '@stepwise/platform';

/** The intake service's configuration: the shared variables, with its own default port. */
export class IntakeConfig extends ServiceConfig {
  override PORT = 3001;
}
