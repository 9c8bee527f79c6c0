import { Injectable } from '@nestjs/common';
import { CareRuleSetKind, type CareRuleSetContent } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, type FieldProblem, ProblemException } from '@stepwise/security';
import { CareRulesRepository } from './care-rules.repository';
import { type CareRuleSetView, careRuleSetView } from './care-rule-set.view';

/** The rows of one list that name what another row of it already named (`keyOf`, e.g. level and population). */
function duplicates<T>(rows: readonly T[], field: string, keyOf: (row: T) => string): FieldProblem[] {
  const seen = new Set<string>();
  return rows.flatMap((row, i) => {
    const key = keyOf(row);
    if (!seen.has(key)) {
      seen.add(key);
      return [];
    }
    return [{ field: `${field}.${i}`, problems: [`${field}.${i} repeats ${key}`] }];
  });
}

const levelOf = (row: { level: string; population: string }): string =>
  `level ${row.level}/${row.population}`;

/** The content field each kind requires (and alone may carry: the body's validation refuses the others). */
const REQUIRED: Record<CareRuleSetKind, 'programShape' | 'progress' | 'programPolicy' | 'billing'> = {
  [CareRuleSetKind.ProgramShape]: 'programShape',
  [CareRuleSetKind.Progress]: 'progress',
  [CareRuleSetKind.ProgramPolicy]: 'programPolicy',
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
    const required = REQUIRED[body.kind];
    const problems = [
      ...duplicates(body.programShape ?? [], 'programShape', levelOf),
      ...duplicates(body.progress ?? [], 'progress', levelOf),
      ...duplicates(
        body.programPolicy?.matExpectedSubstances ?? [],
        'programPolicy.matExpectedSubstances',
        (row) => `medication ${row.medicationCode}`,
      ),
      // A payer bills each level with one code: a level listed twice would make the code of a day ambiguous.
      ...duplicates(body.billing?.codes ?? [], 'billing.codes', (row) => `level ${row.level}`),
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
