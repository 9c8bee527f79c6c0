import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CareRuleSetContent } from '@stepwise/contracts';
import {
  type Actor,
  CurrentActor,
  Idempotent,
  RequirePermission,
  createValidationPipe,
} from '@stepwise/security';
import { type CareRuleSetView } from './care-rule-set.view';
import { ListCareRuleSets } from './list-care-rule-sets';
import { LoadCareRuleSet } from './load-care-rule-set';

/** A rule set that breaks its own rules is domain data in error: 422, naming every bad field. */
const ruleSetBody = createValidationPipe({ problem: 'invalid-rule-set', expectedType: CareRuleSetContent });

@ApiTags('care rules')
@Controller()
export class CareRulesController {
  constructor(
    private readonly loads: LoadCareRuleSet,
    private readonly lists: ListCareRuleSets,
  ) {}

  @Post('care-rule-sets')
  @Idempotent()
  @ApiOperation({
    summary:
      'Load a program-shape, progress or program-policy rule set as the next version of its code; it is in force at once ' +
      '(publishes CareRuleSetLoaded to the reference topic, for sessions)',
  })
  @ApiBody({
    description:
      'code, kind, illustrative, and programShape, progress or programPolicy (see the event catalogue)',
  })
  @ApiCreatedResponse({ description: 'The rule set as stored, with its id (`code@version`)' })
  @RequirePermission('care-rules:write')
  load(@CurrentActor() actor: Actor, @Body(ruleSetBody) body: unknown): Promise<CareRuleSetView> {
    return this.loads.execute(actor, body as CareRuleSetContent);
  }

  @Get('care-rule-sets')
  @ApiOkResponse({ description: 'Every loaded version in load order; the last of each kind is in force' })
  @RequirePermission('care-rules:read')
  list(): Promise<CareRuleSetView[]> {
    return this.lists.execute();
  }
}
