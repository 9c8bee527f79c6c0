import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CurrentActor,
  Idempotent,
  type Page,
  ParseIdPipe,
  RequirePermission,
} from '@stepwise/security';
import { CreateReferralDto, ReferralListQuery, ReferralTransitionDto, ReferralView } from './referral.dto';
import { ListReferrals } from './list-referrals';
import { MoveReferral } from './move-referral';
import { ReadReferral } from './read-referral';
import { ReceiveReferral } from './receive-referral';

@ApiTags('referrals')
@Controller()
export class ReferralsController {
  constructor(
    private readonly receiveReferral: ReceiveReferral,
    private readonly listReferrals: ListReferrals,
    private readonly readReferral: ReadReferral,
    private readonly moveReferral: MoveReferral,
  ) {}

  @Post('referrals')
  @Idempotent()
  @RequirePermission('referrals:write', { site: { body: 'siteId' } })
  @ApiCreatedResponse({ type: ReferralView, description: 'Received; publishes ReferralReceived' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateReferralDto): Promise<ReferralView> {
    return this.receiveReferral.execute(actor, body);
  }

  @Get('sites/:siteId/referrals')
  @RequirePermission('referrals:read', { site: { param: 'siteId' } })
  @ApiOkResponse({ description: 'A page of the site referrals, oldest first' })
  list(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: ReferralListQuery,
  ): Promise<Page<ReferralView>> {
    return this.listReferrals.execute(actor, siteId, query);
  }

  @Get('referrals/:referralId')
  @RequirePermission('referrals:read')
  @ApiOkResponse({ type: ReferralView })
  read(@CurrentActor() actor: Actor, @Param('referralId', ParseIdPipe) id: string): Promise<ReferralView> {
    return this.readReferral.execute(actor, id);
  }

  @Post('referrals/:referralId/transitions')
  @HttpCode(200)
  @RequirePermission('referrals:write')
  @ApiOkResponse({ type: ReferralView, description: 'The referral in its new status' })
  transition(
    @CurrentActor() actor: Actor,
    @Param('referralId', ParseIdPipe) id: string,
    @Body() body: ReferralTransitionDto,
  ): Promise<ReferralView> {
    return this.moveReferral.execute(actor, id, body);
  }
}
