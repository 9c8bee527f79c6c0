import { Injectable } from '@nestjs/common';
import { CareRulesRepository } from './care-rules.repository';
import { type CareRuleSetView, careRuleSetView } from './care-rule-set.view';

/** Every loaded version, in load order (the last of each kind is in force). Network data, not site data. */
@Injectable()
export class ListCareRuleSets {
  constructor(private readonly repository: CareRulesRepository) {}

  async execute(): Promise<CareRuleSetView[]> {
    return (await this.repository.all()).map(careRuleSetView);
  }
}
