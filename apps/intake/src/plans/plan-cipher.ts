import { Injectable } from '@nestjs/common';
import { EnvelopeCipher } from '@stepwise/platform';
import { IntakeConfig } from '../config/intake.config';

/**
 * Envelope encryption of treatment plan text (problems, goals, objectives, interventions) with the KEKs of
 * `PHI_KEK`, `PHI_KEK_ID` and `PHI_RETIRED_KEKS`: a data key per plan version, sealed bound to the plan.
 */
@Injectable()
export class PlanCipher extends EnvelopeCipher {
  constructor(config: IntakeConfig) {
    super(
      { kek: config.PHI_KEK, kekId: config.PHI_KEK_ID, retired: config.PHI_RETIRED_KEKS },
      'plan',
      'PHI_RETIRED_KEKS',
    );
  }
}
