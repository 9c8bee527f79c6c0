import { Injectable } from '@nestjs/common';
import { CareRuleSetKind, type CareRuleSetContent } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, type FieldProblem, ProblemException } from '@stepwise/security';
import { CareRulesRepository } from './care-rules.repository';
import { type CareRuleSetView, careRuleSetView } from './care-rule-set.view';

/** The rows of one set that name a level and population another row already named. */
function duplicates(rows: readonly { level: string; population: string }[], field: string): FieldProblem[] {
  const seen = new Set<string>();
  return rows.flatMap((row, i) => {
    const key = `${row.level}/${row.population}`;
    if (!seen.has(key)) {
      seen.add(key);
      return [];
    }
    return [{ field: `${field}.${i}`, problems: [`${field}.${i} repeats level ${key}`] }];
  });
}

/** A payer bills each level with one code: a level listed twice would make the code of a day ambiguous. */
function duplicateCodes(rows: readonly { level: string }[]): FieldProblem[] {
  return rows.flatMap((row, i) =>
    rows.findIndex((other) => other.level === row.level) < i
      ? [{ field: `billing.codes.${i}`, problems: [`billing.codes.${i} repeats level ${row.level}`] }]
      : [],
  );
}

/** What a rule set of each kind must hold (the contract allows each part only with its kind). */
const REQUIRED_CONTENT: Readonly<Record<CareRuleSetKind, keyof CareRuleSetContent>> = {
  [CareRuleSetKind.ProgramShape]: 'programShape',
  [CareRuleSetKind.Progress]: 'progress',
  [CareRuleSetKind.Billing]: 'billing',
};

/**
 * Stores a network administrator's rule set as the next version of its code and publishes it on the
 * reference topic (CareRuleSetLoaded), in one transaction: from then on it is the rule set of its kind in
 * force here, and in sessions once the event arrives. The body was validated field by field (422); what one
 * field cannot say — a level listed twice, the content its kind requires — is checked here, changing nothing.
 */
@Injectable()
export class LoadCareRuleSet {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: CareRulesRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, body: CareRuleSetContent): Promise<CareRuleSetView> {
    const required = REQUIRED_CONTENT[body.kind];
    const problems = [
      ...duplicates(body.programShape ?? [], 'programShape'),
      ...duplicates(body.progress ?? [], 'progress'),
      ...duplicateCodes(body.billing?.codes ?? []),
      ...(body[required] === undefined
        ? [{ field: required, problems: [`${required} is required in a ${body.kind} rule set`] }]
        : []),
    ];
    if (problems.length > 0) throw new ProblemException('invalid-rule-set', { errors: problems });
    return this.unitOfWork.run(async (tx) => {
      // Two loads of one code at once would both take the same next version; the lock queues them.
      await tx.lockKey(`care-rule-set:${body.code}`);
      const row = await this.repository.add(tx.manager, {
        code: body.code,
        kind: body.kind,
        illustrative: body.illustrative,
        content: { [required]: body[required] },
        loaded_by: actor.principal.id,
        loaded_at: this.clock.now(),
      });
      const view = careRuleSetView(row);
      await tx.publish('CareRuleSetLoaded', view);
      return view;
    });
  }
}
