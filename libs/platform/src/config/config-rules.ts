import { readFileSync, statSync } from 'node:fs';
import { Expose } from 'class-transformer';
import {
  IsDefined,
  IsOptional,
  IsString,
  type ValidationArguments,
  ValidateIf,
  registerDecorator,
} from 'class-validator';

/** An http:// or https:// URL (issuer, JWKS, collector endpoints). */
export const HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/**
 * Rules for configuration classes that class-validator has no decorator for: a condition on the other
 * variables of the same configuration, and files the process will read (mounted secrets, CA bundles). The
 * files are read at validation so a wrong path or an empty secret fails the start-up, naming the variable,
 * instead of the first connection attempt later on. Messages never quote a value or a file's content.
 */
function rule(
  name: string,
  message: string,
  validate: (value: unknown, config: Record<string, unknown>) => boolean,
): PropertyDecorator {
  return (target, propertyKey) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { message },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          validate(value, args.object as Record<string, unknown>),
      },
    });
  };
}

/** The variable is valid only while `condition` holds for the whole configuration (checked when it is set). */
export function Requires<T extends object>(
  condition: (config: T) => boolean,
  message: string,
): PropertyDecorator {
  // Named by its message: a property may carry several such rules, and class-validator keys failures by name.
  return rule(`requires: ${message}`, message, (_value, config) => condition(config as T));
}

function fileText(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** A readable file holding at least one PEM certificate. */
export function IsPemCertificateFile(message: string): PropertyDecorator {
  return rule('isPemCertificateFile', message, (path) => PEM_CERTIFICATE.test(fileText(path) ?? ''));
}

/**
 * A readable file whose content, without the line break editors and `echo` append, is not empty: a secret
 * file must hold the secret, not stand for "no secret".
 */
export function IsSecretFile(message: string): PropertyDecorator {
  return rule('isSecretFile', message, (path) => withoutFinalLineBreak(fileText(path) ?? '') !== '');
}

/** A secret file's content as the secret: one final line break (`echo`, editors) is not part of it. */
export function withoutFinalLineBreak(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** How a configuration names a secret given either as a file or as the value itself. */
export interface SecretSourceRule<T> {
  /** The value variable, e.g. `KAFKA_SASL_PASSWORD`; its file variable is the same name with `_FILE`. */
  readonly name: string;
  /** When one of the two must be set, and the message saying why (it should end in "is required"). */
  readonly required: { readonly when: (config: T) => boolean; readonly message: string };
  /** When either may be set at all (e.g. a password only with a SASL mechanism), and the message otherwise. */
  readonly allowed?: { readonly when: (config: T) => boolean; readonly message: string };
}

type Values = Record<string, unknown>;

/**
 * `<NAME>_FILE`, the preferred source of a secret (a mounted file: a process's environment leaks more easily
 * than a file, through crash reports, `kubectl describe` or child processes): required under `required.when`
 * unless `<NAME>` is set, and then a readable, non-empty file.
 */
export function SecretFile<T extends object>(rule: SecretSourceRule<T>): PropertyDecorator {
  const file = `${rule.name}_FILE`;
  return (target, key) => {
    const decorators: PropertyDecorator[] = [
      Expose(),
      ValidateIf(
        (config: Values) =>
          config[file] !== undefined || (rule.required.when(config as T) && config[rule.name] === undefined),
      ),
      IsDefined({ message: rule.required.message }),
      IsSecretFile(`${file} must name a readable, non-empty file`),
      ...(rule.allowed === undefined
        ? []
        : [Requires<T>(rule.allowed.when, `${file} ${rule.allowed.message}`)]),
    ];
    for (const decorator of decorators) decorator(target, key);
  };
}

/** `<NAME>`, the secret's value itself: optional, never together with `<NAME>_FILE`. */
export function SecretValue<T extends object>(rule: SecretSourceRule<T>): PropertyDecorator {
  const file = `${rule.name}_FILE`;
  return (target, key) => {
    const decorators: PropertyDecorator[] = [
      Expose(),
      IsOptional(),
      IsString({ message: `${rule.name} must be text` }),
      ...(rule.allowed === undefined
        ? []
        : [Requires<T>(rule.allowed.when, `${rule.name} ${rule.allowed.message}`)]),
      Requires<T>(
        (config) => (config as Values)[file] === undefined,
        `${rule.name} and ${file} exclude each other: set one`,
      ),
    ];
    for (const decorator of decorators) decorator(target, key);
  };
}

/**
 * The secret a validated configuration names: the file's content (read now, without its final line break),
 * else the value, else undefined. A rotated secret file takes effect at the next start.
 */
export function secretFromSource(file: string | undefined, value: string | undefined): string | undefined {
  return file === undefined ? value : withoutFinalLineBreak(readFileSync(file, 'utf8'));
}
