import { ServiceConfig } from '@stepwise/platform';

/** The scheduling service's configuration: the shared variables, with its own default port. */
export class SchedulingConfig extends ServiceConfig {
  override PORT = 3002;
}
