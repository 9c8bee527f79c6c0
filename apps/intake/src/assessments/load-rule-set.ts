import { Injectable } from '@nestjs/common';
import { type Actor } from '@stepwise/security';
import { type CreateRuleSetDto, type RuleSetView } from './assessment.dto';
import { ruleSetView } from './assessment-view';
import { AssessmentsRepository } from './assessments.repository';

/**
 * Stores a provider's rule set as the next version of its code, optionally the default. Not site data: the
 * route's permission is its only access check.
 */
@Injectable()
export class LoadRuleSet {
  constructor(private readonly assessments: AssessmentsRepository) {}

  async execute(actor: Actor, body: CreateRuleSetDto): Promise<RuleSetView> {
    return ruleSetView(await this.assessments.addRuleSet(body, actor.principal.id));
  }
}
