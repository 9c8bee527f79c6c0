import { BASE64_256_BITS, KEY_ID, PeerCallsConfig, RETIRED_KEYS } from '@stepwise/platform';
import { Expose, Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';

/**
 * The sessions service's configuration: the shared variables, its port, how it reaches intake (which decides
 * every FHIR disclosure it serves), note encryption keys and rule knobs.
 */
export class SessionsConfig extends PeerCallsConfig {
  override PORT = 3003;
  override AUTH_CLIENT_ID = 'sessions';

  /**
   * Key-encryption key (KEK) for note text: 32 random bytes, base64. It wraps each note's own data key and
   * never reaches the database. Production takes it from the secret store and refuses to start without it;
   * elsewhere a missing key means a random one per process (notes written then are unreadable after a restart).
   */
  @Expose()
  @ValidateIf((config: SessionsConfig) => config.NODE_ENV === 'production' || config.NOTES_KEK !== undefined)
  @IsDefined({ message: 'NOTES_KEK is required in production' })
  @Matches(BASE64_256_BITS, { message: 'NOTES_KEK must be 32 bytes, base64-encoded' })
  NOTES_KEK?: string;

  /** The id stored with each wrapped data key, so a rotated KEK can still unwrap older notes. */
  @Expose()
  @Matches(KEY_ID, { message: 'NOTES_KEK_ID must be a short lower-case key id' })
  NOTES_KEK_ID = 'kek-1';

  /** Earlier KEKs still needed to read older notes after a rotation: `id:base64,id:base64`; empty when none. */
  @Expose()
  @IsOptional()
  @Matches(RETIRED_KEYS, { message: 'NOTES_RETIRED_KEKS must be a comma-separated list of id:base64-key' })
  NOTES_RETIRED_KEKS?: string;

  /** Unexcused absences in a row that make an engagement risk. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'ENGAGEMENT_ABSENCE_THRESHOLD must be an integer' })
  @Min(1, { message: 'ENGAGEMENT_ABSENCE_THRESHOLD must be between 1 and 50' })
  @Max(50, { message: 'ENGAGEMENT_ABSENCE_THRESHOLD must be between 1 and 50' })
  ENGAGEMENT_ABSENCE_THRESHOLD = 3;

  /** Positive drug screens without a negative between them that make an engagement risk. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'ENGAGEMENT_POSITIVE_SCREEN_THRESHOLD must be an integer' })
  @Min(1, { message: 'ENGAGEMENT_POSITIVE_SCREEN_THRESHOLD must be between 1 and 50' })
  @Max(50, { message: 'ENGAGEMENT_POSITIVE_SCREEN_THRESHOLD must be between 1 and 50' })
  ENGAGEMENT_POSITIVE_SCREEN_THRESHOLD = 2;

  /** Closed weeks short of the level minimum in a row that make an engagement risk. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'ENGAGEMENT_SHORT_WEEKS_THRESHOLD must be an integer' })
  @Min(1, { message: 'ENGAGEMENT_SHORT_WEEKS_THRESHOLD must be between 1 and 52' })
  @Max(52, { message: 'ENGAGEMENT_SHORT_WEEKS_THRESHOLD must be between 1 and 52' })
  ENGAGEMENT_SHORT_WEEKS_THRESHOLD = 2;

  /** How often the service looks for weeks the clock has closed without a later fact (0 turns it off). */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'WEEK_CLOSE_INTERVAL_MS must be an integer' })
  @Min(0, { message: 'WEEK_CLOSE_INTERVAL_MS must be between 0 and 86400000' })
  @Max(86_400_000, { message: 'WEEK_CLOSE_INTERVAL_MS must be between 0 and 86400000' })
  WEEK_CLOSE_INTERVAL_MS = 300_000;
}
