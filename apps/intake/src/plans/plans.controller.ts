import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Idempotent, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { DraftPlanDto, PlanReviewView, PlanView, ReviewPlanDto, SignPlanDto } from './plan.dto';
import { DraftPlan } from './draft-plan';
import { ListPlans } from './list-plans';
import { ReadPlan } from './read-plan';
import { ReviewPlan } from './review-plan';
import { SignPlan } from './sign-plan';

@ApiTags('treatment plans')
@Controller()
export class PlansController {
  constructor(
    private readonly draftPlan: DraftPlan,
    private readonly listPlans: ListPlans,
    private readonly readPlan: ReadPlan,
    private readonly signPlan: SignPlan,
    private readonly reviewPlan: ReviewPlan,
  ) {}

  @Post('episodes/:episodeId/plans')
  @Idempotent()
  @RequirePermission('plans:write')
  @ApiCreatedResponse({ type: PlanView, description: 'A new draft version of the episode plan' })
  draft(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) episodeId: string,
    @Body() body: DraftPlanDto,
  ): Promise<PlanView> {
    return this.draftPlan.execute(actor, episodeId, body);
  }

  @Get('episodes/:episodeId/plans')
  @RequirePermission('plans:read')
  @ApiOkResponse({ type: [PlanView], description: 'Every version, oldest first (an episode has few)' })
  list(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) episodeId: string,
  ): Promise<PlanView[]> {
    return this.listPlans.execute(actor, episodeId);
  }

  @Get('plans/:planId')
  @RequirePermission('plans:read')
  @ApiOkResponse({ type: PlanView })
  read(@CurrentActor() actor: Actor, @Param('planId', ParseIdPipe) id: string): Promise<PlanView> {
    return this.readPlan.execute(actor, id);
  }

  @Post('plans/:planId/signature')
  @HttpCode(200)
  @RequirePermission('plans:write')
  @ApiOkResponse({
    type: PlanView,
    description: 'Client and clinician signed; publishes TreatmentPlanSigned',
  })
  sign(
    @CurrentActor() actor: Actor,
    @Param('planId', ParseIdPipe) id: string,
    @Body() body: SignPlanDto,
  ): Promise<PlanView> {
    return this.signPlan.execute(actor, id, body);
  }

  @Post('plans/:planId/reviews')
  @Idempotent()
  @RequirePermission('plans:write')
  @ApiCreatedResponse({ type: PlanReviewView, description: 'Goals met; publishes TreatmentPlanReviewed' })
  review(
    @CurrentActor() actor: Actor,
    @Param('planId', ParseIdPipe) id: string,
    @Body() body: ReviewPlanDto,
  ): Promise<PlanReviewView> {
    return this.reviewPlan.execute(actor, id, body);
  }
}
