import 'reflect-metadata';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';

/** One invalid or missing environment variable, named so the operator knows what to fix. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problems: string[];
}

/** Thrown when the environment does not satisfy a service's configuration schema. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `Invalid configuration for ${service}:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.problems.join('; ')}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function flatten(errors: ValidationError[]): ConfigProblem[] {
  return errors.map((error) => {
    // Constraint messages name the rule, never the value: variables such as DATABASE_URL hold secrets.
    const messages = [
      ...new Set(Object.values(error.constraints ?? { invalid: `${error.property} is invalid` })),
    ];
    // A missing variable fails every rule; saying "is required" is the whole story.
    const required = messages.filter((m) => m.endsWith('is required'));
    return { variable: error.property, problems: required.length > 0 ? required : messages.sort() };
  });
}

/**
 * Reads the variables a configuration class declares from `env`, applies its defaults and validates it.
 * Only declared properties (decorated with `@Expose()`) are read, so the typed object never carries
 * unrelated variables; an empty string counts as unset, so `PORT=` falls back to the default.
 */
export function loadConfig<T extends object>(
  service: string,
  schema: ClassConstructor<T>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const provided = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const config = plainToInstance(schema, provided, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(service, flatten(errors));
  return Object.freeze(config);
}
