import { type LoadedRuleSet, type RulesInForce, rulesInForce } from '@stepwise/care-rules';
import { type CareRulesRepository } from '../care-rules/care-rules.repository';

/** The loaded rule sets in memory (none: the illustrative defaults are in force), for the generator's tests. */
export class InMemoryCareRules {
  readonly loaded: LoadedRuleSet[] = [];

  inForce(): Promise<RulesInForce> {
    return Promise.resolve(rulesInForce(this.loaded));
  }

  asRepository(): CareRulesRepository {
    return this as unknown as CareRulesRepository;
  }
}
