import { Expose } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';
import { HTTP_URL } from './config-rules';
import { ServiceConfig } from './service-config';

/**
 * The variables of a service that calls intake's internal API with its own `service` token (OAuth2 client
 * credentials): where intake is, where tokens come from, and this service's client. A service that calls its
 * peers extends this class and sets its own `AUTH_CLIENT_ID` default; the values are checked at start, so a
 * malformed URL stops the service instead of failing its first call.
 */
export class PeerCallsConfig extends ServiceConfig {
  /** Intake: consents (disclosure decisions) and client contacts, asked per call (never stored). */
  @Expose()
  @Matches(HTTP_URL, { message: 'INTAKE_URL must be an http(s) URL' })
  INTAKE_URL = 'http://127.0.0.1:3001';

  /** OAuth2 client-credentials endpoint that issues this service's `service` token for the calls above. */
  @Expose()
  @Matches(HTTP_URL, { message: 'AUTH_TOKEN_URL must be an http(s) URL' })
  AUTH_TOKEN_URL = 'http://127.0.0.1:9400/oauth/token';

  @Expose()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, {
    message: 'AUTH_CLIENT_ID must be a client id (letters, digits, . _ -)',
  })
  AUTH_CLIENT_ID = '';

  @Expose()
  @IsString({ message: 'AUTH_CLIENT_SECRET must be text' })
  @MaxLength(500, { message: 'AUTH_CLIENT_SECRET is too long' })
  AUTH_CLIENT_SECRET = '';
}
