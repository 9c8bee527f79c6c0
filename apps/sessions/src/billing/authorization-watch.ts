import { Injectable } from '@nestjs/common';
import {
  authorizationWarnings,
  billEpisode,
  type BillingRules,
  billingRulesFor,
  localDateOf,
} from '@stepwise/care-rules';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { BillingRepository } from './billing.repository';

/**
 * Counts an episode's authorized units down from its attended billable days and warns billing staff once per
 * authorization and kind: when the units left fall to the payer's threshold (AuthorizationUnitsLow) and when
 * the last covered day comes within the payer's window (AuthorizationExpiring). Runs in the episode's
 * evaluation (every fact, and the periodic week closing, which is what makes an expiry date arrive).
 */
@Injectable()
export class AuthorizationWatch {
  constructor(
    private readonly billing: BillingRepository,
    private readonly clock: Clock,
  ) {}

  /** `now` is when the evaluation runs; the day it is at the site is when expiry is judged. */
  async check(
    tx: Transaction,
    episode: { readonly episodeId: string; readonly siteId: string; readonly timeZone: string },
    rules: readonly BillingRules[],
    now: Date,
  ): Promise<void> {
    const [facts] = await this.billing.facts(tx.manager, [episode.episodeId]);
    if (facts === undefined || facts.authorizations.length === 0) return;
    const asOf = localDateOf(now, episode.timeZone);
    for (const count of billEpisode(facts, rules).counts) {
      const payerRules = billingRulesFor(rules, count.authorization.payerCode);
      const warnings = authorizationWarnings(count, payerRules, asOf);
      const standing = {
        authorizationId: count.authorization.authorizationId,
        episodeId: facts.episodeId,
        clientId: facts.clientId,
        siteId: episode.siteId,
        payerCode: count.authorization.payerCode,
        authorizationNumber: count.authorization.authorizationNumber,
        levelOfCare: count.authorization.level,
        units: count.authorization.units,
        usedUnits: count.usedUnits,
        remainingUnits: count.remainingUnits,
        endsOn: count.authorization.endsOn,
        asOf,
        ruleSetId: payerRules.id,
      };
      const warned = (kind: 'units-low' | 'expiring'): Promise<boolean> =>
        this.billing.warnOnce(tx.manager, {
          authorizationId: standing.authorizationId,
          kind,
          episodeId: standing.episodeId,
          remainingUnits: standing.remainingUnits,
          asOf,
          ruleSetId: standing.ruleSetId,
          warnedAt: this.clock.now(),
        });
      if (warnings.unitsLow && (await warned('units-low'))) {
        await tx.publish('AuthorizationUnitsLow', {
          ...standing,
          warnUnitsRemaining: payerRules.warnUnitsRemaining,
        });
      }
      if (warnings.expiringInDays !== undefined && (await warned('expiring'))) {
        await tx.publish('AuthorizationExpiring', { ...standing, daysLeft: warnings.expiringInDays });
      }
    }
  }
}
