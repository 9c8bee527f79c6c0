import { CareRuleSetKind, type LevelOfCare, type Population } from '@stepwise/contracts';
import { ILLUSTRATIVE_BILLING, ILLUSTRATIVE_PROGRESS, ILLUSTRATIVE_RULES } from './illustrative-rules';
import {
  type BillingRules,
  type LoadedRuleSet,
  type ProgressRules,
  type ProgressRuleSet,
  type RulesInForce,
} from './versioned-data';

// Apart from versioned-data.ts, which only declares the shapes: the illustrative defaults are built from those
// shapes, and choosing between them and what a provider loaded needs both (one file holding both would import
// the defaults that import it).

/** The rule set for a track's level and population; undefined where no rule set applies (no recommendations). */
export function progressRuleSetFor(
  level: LevelOfCare,
  population: Population,
  rules: ProgressRules = ILLUSTRATIVE_PROGRESS,
): ProgressRuleSet | undefined {
  const rule = rules.progress.find((set) => set.level === level && set.population === population);
  return rule === undefined ? undefined : { ...rule, version: rules.id };
}

/**
 * The rule sets in force: of each kind the one loaded last (`loaded` in load order, oldest first), else the
 * illustrative defaults. A new version never changes what an older one decided: decisions name their version.
 */
export function rulesInForce(loaded: readonly LoadedRuleSet[]): RulesInForce {
  let rules: RulesInForce = ILLUSTRATIVE_RULES;
  for (const set of loaded) {
    if (set.kind === CareRuleSetKind.ProgramShape && set.programShape !== undefined) {
      rules = {
        ...rules,
        programShape: { id: set.ruleSetId, illustrative: set.illustrative, programShape: set.programShape },
      };
    }
    if (set.kind === CareRuleSetKind.Progress && set.progress !== undefined) {
      rules = {
        ...rules,
        progress: { id: set.ruleSetId, illustrative: set.illustrative, progress: set.progress },
      };
    }
    if (set.kind === CareRuleSetKind.ProgramPolicy && set.programPolicy !== undefined) {
      rules = {
        ...rules,
        programPolicy: {
          id: set.ruleSetId,
          illustrative: set.illustrative,
          programPolicy: set.programPolicy,
        },
      };
    }
    if (set.kind === CareRuleSetKind.Billing && set.billing !== undefined) {
      const payer = set.billing.payerCode;
      rules = {
        ...rules,
        billing: [
          ...rules.billing.filter((billing) => billing.payerCode !== payer),
          { ...set.billing, id: set.ruleSetId, illustrative: set.illustrative },
        ],
      };
    }
  }
  return rules;
}

/** The billing rules of a payer: its own loaded last, else the default (illustrative until one is loaded). */
export function billingRulesFor(billing: readonly BillingRules[], payerCode: string | null): BillingRules {
  return (
    billing.find((rules) => payerCode !== null && rules.payerCode === payerCode) ??
    billing.find((rules) => rules.payerCode === null) ??
    ILLUSTRATIVE_BILLING
  );
}
