import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Idempotent, ParseIdPipe, RequirePermission } from '@stepwise/security';
import {
  AdmitClientDto,
  AuthorizationDto,
  CareSettingChangeDto,
  DischargeDto,
  EpisodeView,
  LevelChangeDto,
} from './episode.dto';
import { ChangeCareSetting } from './change-care-setting';
import { AdmitClient } from './admit-client';
import { AuthorizeLevel } from './authorize-level';
import { DischargeEpisode } from './discharge-episode';
import { ReadEpisode } from './read-episode';

@ApiTags('episodes of care')
@Controller()
export class EpisodesController {
  constructor(
    private readonly admitClient: AdmitClient,
    private readonly readEpisode: ReadEpisode,
    private readonly authorizeLevel: AuthorizeLevel,
    private readonly dischargeEpisode: DischargeEpisode,
    private readonly careSetting: ChangeCareSetting,
  ) {}

  @Post('clients/:clientId/admissions')
  @Idempotent()
  @RequirePermission('admissions:write', { site: { body: 'siteId' } })
  @ApiCreatedResponse({
    type: EpisodeView,
    description:
      'Opens the episode of care; publishes ClientAdmitted. 409 when one is active; 422 unknown track',
  })
  admit(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Body() body: AdmitClientDto,
  ): Promise<EpisodeView> {
    return this.admitClient.execute(actor, clientId, body);
  }

  @Get('episodes/:episodeId')
  @RequirePermission('clients:read')
  @ApiOkResponse({
    type: EpisodeView,
    description: 'The episode with its clinical and authorized level history',
  })
  read(@CurrentActor() actor: Actor, @Param('episodeId', ParseIdPipe) id: string): Promise<EpisodeView> {
    return this.readEpisode.execute(actor, id);
  }

  @Post('episodes/:episodeId/authorizations')
  @HttpCode(200)
  @RequirePermission('admissions:write')
  @ApiOkResponse({
    type: EpisodeView,
    description: 'Publishes LevelOfCareChanged (authorized) when it changes',
  })
  authorize(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) id: string,
    @Body() body: AuthorizationDto,
  ): Promise<EpisodeView> {
    return this.authorizeLevel.execute(actor, id, body);
  }

  @Post('episodes/:episodeId/level-changes')
  @HttpCode(200)
  @Idempotent()
  @RequirePermission('level-changes:write')
  @ApiOkResponse({
    type: EpisodeView,
    description:
      "A clinician's own level change, to a track at the episode's site or another of the network; publishes " +
      'LevelOfCareChanged (and ClientTransferred when the site changes). 422 unknown track or same level',
  })
  changeLevel(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) id: string,
    @Body() body: LevelChangeDto,
  ): Promise<EpisodeView> {
    return this.careSetting.changeLevel(actor, id, body);
  }

  @Post('episodes/:episodeId/transfers')
  @HttpCode(200)
  @Idempotent()
  @RequirePermission('level-changes:write')
  @ApiOkResponse({
    type: EpisodeView,
    description:
      'Moves the episode to a track at the same level at another site of the network; publishes ' +
      'ClientTransferred. 422 unknown track, other level or same site',
  })
  transfer(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) id: string,
    @Body() body: CareSettingChangeDto,
  ): Promise<EpisodeView> {
    return this.careSetting.transfer(actor, id, body);
  }

  @Post('episodes/:episodeId/discharge')
  @HttpCode(200)
  @RequirePermission('discharges:write')
  @ApiOkResponse({ type: EpisodeView, description: 'Ends the episode; publishes ClientDischarged' })
  discharge(
    @CurrentActor() actor: Actor,
    @Param('episodeId', ParseIdPipe) id: string,
    @Body() body: DischargeDto,
  ): Promise<EpisodeView> {
    return this.dischargeEpisode.execute(actor, id, body);
  }
}
