import { type ValidationOptions, registerDecorator } from 'class-validator';
import { isKnownTimeZone, isLocalDate } from '@stepwise/care-rules';

/** An IANA time zone name this runtime knows (`America/New_York`), not an abbreviation or an offset. */
export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an IANA time zone such as America/New_York`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && isKnownTimeZone(value) },
    });
}

/** A real calendar date `YYYY-MM-DD` (2025-02-30 is refused). */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a calendar date (YYYY-MM-DD)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isLocalDate(value) },
    });
}

/** A wall-clock time `HH:mm`. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
