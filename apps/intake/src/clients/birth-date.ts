import { ProblemException } from '@stepwise/security';

/** A birth date, when one is given, is not after today (UTC, as the API's dates are read): 422 otherwise. */
export function assertBornBy(dateOfBirth: string | undefined, now: Date): void {
  if (dateOfBirth !== undefined && dateOfBirth > now.toISOString().slice(0, 10)) {
    throw new ProblemException('unprocessable', {
      errors: [{ field: 'dateOfBirth', problems: ['dateOfBirth must not be in the future'] }],
    });
  }
}
