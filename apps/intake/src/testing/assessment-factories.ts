import { ILLUSTRATIVE_RULE_SET } from '../assessments/asam-rules';
import { type RuleSetRow } from '../assessments/assessments.repository';

/** The illustrative rule set as the database was seeded with it: the default. */
export function theIllustrativeRuleSet(): RuleSetRow {
  return {
    code: ILLUSTRATIVE_RULE_SET.code,
    version: ILLUSTRATIVE_RULE_SET.version,
    label: ILLUSTRATIVE_RULE_SET.label,
    illustrative: true,
    rules: [...ILLUSTRATIVE_RULE_SET.rules],
    fallback_level: ILLUSTRATIVE_RULE_SET.fallbackLevel,
    is_default: true,
  };
}
