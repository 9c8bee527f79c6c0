import { Injectable } from '@nestjs/common';
import { type RuleSetView } from './assessment.dto';
import { ruleSetView } from './assessment-view';
import { AssessmentsRepository } from './assessments.repository';

/** Every stored ASAM rule set version. Not site data: the route's permission is its only access check. */
@Injectable()
export class ListRuleSets {
  constructor(private readonly assessments: AssessmentsRepository) {}

  async execute(): Promise<RuleSetView[]> {
    return (await this.assessments.ruleSets()).map(ruleSetView);
  }
}
