import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CurrentActor,
  Idempotent,
  type Page,
  ParseIdPipe,
  RequirePermission,
} from '@stepwise/security';
import {
  AssessDto,
  AssessmentListQuery,
  AssessmentView,
  CreateRuleSetDto,
  RuleSetView,
} from './assessment.dto';
import { AssessClient } from './assess-client';
import { ListAssessments } from './list-assessments';
import { ListRuleSets } from './list-rule-sets';
import { LoadRuleSet } from './load-rule-set';
import { ReadAssessment } from './read-assessment';

@ApiTags('ASAM assessments')
@Controller()
export class AssessmentsController {
  constructor(
    private readonly assessClient: AssessClient,
    private readonly listAssessments: ListAssessments,
    private readonly readAssessment: ReadAssessment,
    private readonly listRuleSets: ListRuleSets,
    private readonly storeRuleSet: LoadRuleSet,
  ) {}

  @Post('clients/:clientId/assessments')
  @Idempotent()
  @RequirePermission('assessments:write')
  @ApiCreatedResponse({
    type: AssessmentView,
    description:
      'Publishes AssessmentCompleted; an override without a reason is 422 override-reason-required',
  })
  assess(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Body() body: AssessDto,
  ): Promise<AssessmentView> {
    return this.assessClient.execute(actor, clientId, body);
  }

  @Get('clients/:clientId/assessments')
  @RequirePermission('assessments:read')
  @ApiOkResponse({ description: "A page of the client's assessments, oldest first" })
  list(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Query() query: AssessmentListQuery,
  ): Promise<Page<AssessmentView>> {
    return this.listAssessments.execute(actor, clientId, query);
  }

  @Get('assessments/:assessmentId')
  @RequirePermission('assessments:read')
  @ApiOkResponse({ type: AssessmentView })
  read(
    @CurrentActor() actor: Actor,
    @Param('assessmentId', ParseIdPipe) id: string,
  ): Promise<AssessmentView> {
    return this.readAssessment.execute(actor, id);
  }

  @Get('asam-rule-sets')
  @RequirePermission('assessments:read')
  @ApiOkResponse({ type: [RuleSetView], description: 'Every stored rule set and version' })
  ruleSets(): Promise<RuleSetView[]> {
    return this.listRuleSets.execute();
  }

  @Post('asam-rule-sets')
  @Idempotent()
  @RequirePermission('rule-sets:write')
  @ApiCreatedResponse({ type: RuleSetView, description: 'Stored as the next version of its code' })
  loadRuleSet(@CurrentActor() actor: Actor, @Body() body: CreateRuleSetDto): Promise<RuleSetView> {
    return this.storeRuleSet.execute(actor, body);
  }
}
