import { PeerCallsConfig } from '@stepwise/platform';

/**
 * The scheduling service's configuration: the shared variables, its own default port, and how it reaches
 * intake (`INTAKE_URL`, its `service` client credentials), which decides every FHIR disclosure it serves.
 */
export class SchedulingConfig extends PeerCallsConfig {
  override PORT = 3002;
  override AUTH_CLIENT_ID = 'scheduling';
}
