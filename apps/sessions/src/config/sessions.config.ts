import { Expose, Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ServiceConfig } from '@stepwise/platform';

/** The sessions service's configuration: the shared variables, with its own default port. */
export class SessionsConfig extends ServiceConfig {
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(1, { message: 'PORT must be between 1 and 65535' })
  @Max(65535, { message: 'PORT must be between 1 and 65535' })
  override PORT = 3003;
}
