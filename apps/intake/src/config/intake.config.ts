import { BASE64_256_BITS, KEY_ID, RETIRED_KEYS, ServiceConfig } from '@stepwise/platform';
import { Expose } from 'class-transformer';
import { IsDefined, IsOptional, Matches, ValidateIf } from 'class-validator';

/** The intake service's configuration: the shared variables, its default port and its PHI encryption keys. */
export class IntakeConfig extends ServiceConfig {
  override PORT = 3001;

  /**
   * Key-encryption key (KEK) for intake's free-text PHI (treatment plans): 32 random bytes, base64. It wraps
   * each record's own data key and never reaches the database. Production takes it from the secret store and
   * refuses to start without it; elsewhere a missing key means a random one per process (what was written
   * then is unreadable after a restart).
   */
  @Expose()
  @ValidateIf((config: IntakeConfig) => config.NODE_ENV === 'production' || config.PHI_KEK !== undefined)
  @IsDefined({ message: 'PHI_KEK is required in production' })
  @Matches(BASE64_256_BITS, { message: 'PHI_KEK must be 32 bytes, base64-encoded' })
  PHI_KEK?: string;

  /** The id stored with each wrapped data key, so a rotated KEK can still unwrap older records. */
  @Expose()
  @Matches(KEY_ID, { message: 'PHI_KEK_ID must be a short lower-case key id' })
  PHI_KEK_ID = 'kek-1';

  /** Earlier KEKs still needed to read older records after a rotation: `id:base64,id:base64`. */
  @Expose()
  @IsOptional()
  @Matches(RETIRED_KEYS, { message: 'PHI_RETIRED_KEKS must be a comma-separated list of id:base64-key' })
  PHI_RETIRED_KEKS?: string;
}
