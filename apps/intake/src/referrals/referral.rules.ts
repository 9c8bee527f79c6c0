/** Why a client was referred (a code, never free text). */
export enum ReferralReason {
  SubstanceUse = 'substance-use',
  CoOccurring = 'co-occurring',
  MentalHealth = 'mental-health',
  StepDownFromHigherLevel = 'step-down-from-higher-level',
  CourtMandated = 'court-mandated',
  RelapseAfterTreatment = 'relapse-after-treatment',
  Other = 'other',
}

export enum ReferralStatus {
  Received = 'received',
  Screening = 'screening',
  Assessed = 'assessed',
  Admitted = 'admitted',
  Declined = 'declined',
  ReferredElsewhere = 'referred-elsewhere',
}

const CLOSING = [ReferralStatus.Declined, ReferralStatus.ReferredElsewhere];

/**
 * received → screening → assessed → admitted | declined | referred-elsewhere. A referral may be declined
 * or referred elsewhere at any open step; `admitted` is reached only through an admission (which names
 * the referral), so a referral never says "admitted" without an episode of care.
 */
export const REFERRAL_TRANSITIONS: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  [ReferralStatus.Received]: [ReferralStatus.Screening, ...CLOSING],
  [ReferralStatus.Screening]: [ReferralStatus.Assessed, ...CLOSING],
  [ReferralStatus.Assessed]: [ReferralStatus.Admitted, ...CLOSING],
  [ReferralStatus.Admitted]: [],
  [ReferralStatus.Declined]: [],
  [ReferralStatus.ReferredElsewhere]: [],
};

export function canTransition(from: ReferralStatus, to: ReferralStatus): boolean {
  return REFERRAL_TRANSITIONS[from].includes(to);
}

/** Statuses from which an admission may close the referral (any open one: screening may be skipped). */
export const ADMITTABLE_STATUSES: readonly ReferralStatus[] = [
  ReferralStatus.Received,
  ReferralStatus.Screening,
  ReferralStatus.Assessed,
];
