import { type LoadedRuleSet, type RulesInForce, rulesInForce } from '@stepwise/care-rules';
import { CareRulesRepository } from '../projections/care-rules.repository';

/** The projected care rule sets in memory: none loaded, so the illustrative defaults, unless a test adds one. */
export class InMemoryCareRules extends CareRulesRepository {
  readonly loaded: LoadedRuleSet[] = [];

  override inForce(): Promise<RulesInForce> {
    return Promise.resolve(rulesInForce(this.loaded));
  }
}
