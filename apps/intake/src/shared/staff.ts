import { isUuid } from '@stepwise/contracts';
import { type Actor, ProblemException } from '@stepwise/security';

/**
 * The staff id of the caller, for the `assessedBy`/`decidedBy`/`signedBy` fields of events: the token's
 * subject, which the identity provider issues as the staff member's UUID. A principal without one (a
 * service, a non-staff account) cannot make clinical decisions.
 */
export function staffIdOf(actor: Actor): string {
  const id = actor.principal.id;
  if (actor.principal.kind !== 'user' || !isUuid(id)) {
    throw new ProblemException('permission-denied', {
      detail: 'Only a staff member (token subject is a staff UUID) may record this',
    });
  }
  return id.toLowerCase();
}

/** An instant column as the API shows it. */
export const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());
