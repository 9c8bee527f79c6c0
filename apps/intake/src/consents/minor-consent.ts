import { type FieldProblem } from '@stepwise/security';
import { DateTime } from 'luxon';
import { type GrantConsentDto } from './consent.dto';

/**
 * Who signs a minor's consent (42 CFR 2.14) is a matter of the program's jurisdiction, so it is program policy:
 * `minor-alone` where state law lets a minor consent to SUD treatment (then only the minor may consent to a
 * disclosure), `minor-and-guardian` elsewhere (both the minor and a parent or guardian sign).
 */
export const MINOR_CONSENT_RULES = ['minor-alone', 'minor-and-guardian'] as const;
export type MinorConsentRule = (typeof MINOR_CONSENT_RULES)[number];

/** The program's minor-consent policy, as configured (a class so Nest can inject it). */
export abstract class MinorConsentPolicy {
  abstract readonly rule: MinorConsentRule;
  /** Below this age the client is a minor. */
  abstract readonly ageOfMajority: number;
  /** Under `minor-alone`, the youngest age at which a minor consents alone; younger, a guardian signs too. */
  abstract readonly selfConsentAge: number;
}

/** The policy as configured (MINOR_CONSENT_RULE, AGE_OF_MAJORITY, MINOR_SELF_CONSENT_AGE). */
export function minorConsentPolicy(config: {
  readonly MINOR_CONSENT_RULE: MinorConsentRule;
  readonly AGE_OF_MAJORITY: number;
  readonly MINOR_SELF_CONSENT_AGE: number;
}): MinorConsentPolicy {
  return {
    rule: config.MINOR_CONSENT_RULE,
    ageOfMajority: config.AGE_OF_MAJORITY,
    selfConsentAge: config.MINOR_SELF_CONSENT_AGE,
  };
}

/** Full years of age on `date` (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, date: string): number {
  return Math.floor(DateTime.fromISO(date).diff(DateTime.fromISO(dateOfBirth), 'years').years);
}

/**
 * What the signatures of a consent lack under the policy, for a client born on `dateOfBirth`, judged at the
 * date the client signed: nothing for an adult; for a minor, the minor's own signature always, and a parent's or
 * guardian's too unless the minor may consent alone.
 */
export function signerProblems(
  policy: MinorConsentPolicy,
  dateOfBirth: string,
  consent: GrantConsentDto,
): FieldProblem[] {
  const signature = consent.signature;
  if (signature === undefined) return [];
  const age = ageOn(dateOfBirth, signature.signedOn);
  if (age >= policy.ageOfMajority) return [];
  const alone = policy.rule === 'minor-alone' && age >= policy.selfConsentAge;
  const problems: FieldProblem[] = [];
  if (signature.signedBy !== 'client')
    problems.push({
      field: 'signature.signedBy',
      problems: ["42 CFR 2.14 requires the minor patient's own signature (signedBy: client)"],
    });
  if (!alone && consent.guardianSignature === undefined)
    problems.push({
      field: 'guardianSignature',
      problems: [
        `42 CFR 2.14 requires a parent's or guardian's signature as well (program policy ${policy.rule}, ` +
          `client aged ${age})`,
      ],
    });
  return problems;
}
