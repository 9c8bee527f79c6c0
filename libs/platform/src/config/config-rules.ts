import { readFileSync, statSync } from 'node:fs';
import { type ValidationArguments, registerDecorator } from 'class-validator';

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
