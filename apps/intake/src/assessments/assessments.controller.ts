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
import { AssessmentsService } from './assessments.service';

@ApiTags('ASAM assessments')
@Controller()
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

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
    return this.assessments.assess(actor, clientId, body);
  }

  @Get('clients/:clientId/assessments')
  @RequirePermission('assessments:read')
  @ApiOkResponse({ description: "A page of the client's assessments, oldest first" })
  list(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Query() query: AssessmentListQuery,
  ): Promise<Page<AssessmentView>> {
    return this.assessments.list(actor, clientId, query);
  }

  @Get('assessments/:assessmentId')
  @RequirePermission('assessments:read')
  @ApiOkResponse({ type: AssessmentView })
  read(
    @CurrentActor() actor: Actor,
    @Param('assessmentId', ParseIdPipe) id: string,
  ): Promise<AssessmentView> {
    return this.assessments.read(actor, id);
  }

  @Get('asam-rule-sets')
  @RequirePermission('assessments:read')
  @ApiOkResponse({ type: [RuleSetView], description: 'Every stored rule set and version' })
  ruleSets(): Promise<RuleSetView[]> {
    return this.assessments.ruleSets();
  }

  @Post('asam-rule-sets')
  @Idempotent()
  @RequirePermission('rule-sets:write')
  @ApiCreatedResponse({ type: RuleSetView, description: 'Stored as the next version of its code' })
  loadRuleSet(@CurrentActor() actor: Actor, @Body() body: CreateRuleSetDto): Promise<RuleSetView> {
    return this.assessments.loadRuleSet(actor, body);
  }
}
