import { type AsamRuleSet, ruleSetVersionOf } from './asam-rules';
import { type AssessmentView, type RuleSetView } from './assessment.dto';
import { type AssessmentRow, type RuleSetRow } from './assessments.repository';

export const assessmentView = (row: AssessmentRow): AssessmentView => ({
  id: row.id,
  clientId: row.client_id,
  episodeId: row.episode_id,
  kind: row.kind,
  dimensionRatings: row.ratings,
  ruleSetVersion: row.rule_set_version,
  computedLevel: row.computed_level,
  overrideLevel: row.override_level,
  overrideReason: row.override_reason,
  recommendedLevel: row.recommended_level,
  assessedBy: row.assessed_by,
  assessedAt: row.assessed_at.toISOString(),
});

/** The rule set as the rules engine takes it. */
export const ruleSetOf = (row: RuleSetRow): AsamRuleSet => ({
  code: row.code,
  version: row.version,
  label: row.label,
  illustrative: row.illustrative,
  rules: row.rules,
  fallbackLevel: row.fallback_level,
});

export const ruleSetView = (row: RuleSetRow): RuleSetView => ({
  ...ruleSetOf(row),
  rules: row.rules.map((rule) => ({
    ...rule,
    any: rule.any?.map((c) => ({ ...c })),
    all: rule.all?.map((c) => ({ ...c })),
  })),
  ruleSetVersion: ruleSetVersionOf(row),
  isDefault: row.is_default,
});
