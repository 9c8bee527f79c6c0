import { BASE64_256_BITS, KEY_ID, RETIRED_KEYS, ServiceConfig } from '@stepwise/platform';
import { Expose, Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { MINOR_CONSENT_RULES, type MinorConsentRule } from '../consents/minor-consent';

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

  /**
   * Who signs a minor's consent to disclose (42 CFR 2.14), by the program's jurisdiction: `minor-alone` where
   * state law lets a minor consent to SUD treatment, else `minor-and-guardian`.
   */
  @Expose()
  @IsIn(MINOR_CONSENT_RULES, {
    message: `MINOR_CONSENT_RULE must be one of ${MINOR_CONSENT_RULES.join(', ')}`,
  })
  MINOR_CONSENT_RULE: MinorConsentRule = 'minor-and-guardian';

  /** Age of majority in the program's jurisdiction: younger clients are minors. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'AGE_OF_MAJORITY must be an integer' })
  @Min(14, { message: 'AGE_OF_MAJORITY must be between 14 and 21' })
  @Max(21, { message: 'AGE_OF_MAJORITY must be between 14 and 21' })
  AGE_OF_MAJORITY = 18;

  /** Under `minor-alone`: the youngest age at which the jurisdiction lets a minor consent alone. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'MINOR_SELF_CONSENT_AGE must be an integer' })
  @Min(0, { message: 'MINOR_SELF_CONSENT_AGE must be between 0 and 21' })
  @Max(21, { message: 'MINOR_SELF_CONSENT_AGE must be between 0 and 21' })
  MINOR_SELF_CONSENT_AGE = 12;

  /** How long a break-glass (emergency access) grant lasts, in minutes. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'EMERGENCY_ACCESS_MINUTES must be an integer' })
  @Min(5, { message: 'EMERGENCY_ACCESS_MINUTES must be between 5 and 240' })
  @Max(240, { message: 'EMERGENCY_ACCESS_MINUTES must be between 5 and 240' })
  EMERGENCY_ACCESS_MINUTES = 60;
}
