import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Idempotent, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { ContactQuery, ProgramTrackDto, StaffMemberDto, UpsertSiteDto } from './reference.dto';
import { CreateStaffMember } from './create-staff-member';
import { CreateTrack } from './create-track';
import { GetSite } from './get-site';
import { GetStaffContact } from './get-staff-contact';
import { GetStaffMember } from './get-staff-member';
import { GetTrack } from './get-track';
import {
  type ProgramTrackView,
  type SiteView,
  type StaffContactView,
  type StaffMemberView,
} from './reference.views';
import { UpdateStaffMember } from './update-staff-member';
import { UpdateTrack } from './update-track';
import { UpsertSite } from './upsert-site';

@ApiTags('reference data')
@Controller()
export class ReferenceController {
  constructor(
    private readonly siteUpserts: UpsertSite,
    private readonly sites: GetSite,
    private readonly trackCreations: CreateTrack,
    private readonly trackUpdates: UpdateTrack,
    private readonly tracks: GetTrack,
    private readonly staffCreations: CreateStaffMember,
    private readonly staffUpdates: UpdateStaffMember,
    private readonly staffMembers: GetStaffMember,
    private readonly contacts: GetStaffContact,
  ) {}

  @Put('sites/:siteId')
  @ApiOperation({ summary: 'Create or replace a site (time zone, closures); publishes SiteUpserted' })
  @ApiOkResponse({ description: 'The site as saved' })
  @RequirePermission('sites:write', { site: { param: 'siteId' } })
  upsertSite(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Body() body: UpsertSiteDto,
  ): Promise<SiteView> {
    return this.siteUpserts.execute(actor, siteId.toLowerCase(), body);
  }

  @Get('sites/:siteId')
  @ApiOkResponse({ description: 'The site' })
  @RequirePermission('sites:read', { site: { param: 'siteId' } })
  site(@CurrentActor() actor: Actor, @Param('siteId', ParseIdPipe) siteId: string): Promise<SiteView> {
    return this.sites.execute(actor, siteId.toLowerCase());
  }

  @Post('sites/:siteId/tracks')
  @Idempotent()
  @ApiOperation({ summary: 'Create a program track with its weekly pattern; publishes ProgramTrackUpserted' })
  @ApiCreatedResponse({ description: 'The track as saved' })
  @RequirePermission('tracks:write', { site: { param: 'siteId' } })
  createTrack(
    @Param('siteId', ParseIdPipe) siteId: string,
    @Body() body: ProgramTrackDto,
  ): Promise<ProgramTrackView> {
    return this.trackCreations.execute(siteId.toLowerCase(), body);
  }

  @Put('tracks/:trackId')
  @ApiOkResponse({ description: 'The track as saved' })
  @RequirePermission('tracks:write')
  updateTrack(
    @CurrentActor() actor: Actor,
    @Param('trackId', ParseIdPipe) trackId: string,
    @Body() body: ProgramTrackDto,
  ): Promise<ProgramTrackView> {
    return this.trackUpdates.execute(actor, trackId.toLowerCase(), body);
  }

  @Get('tracks/:trackId')
  @ApiOkResponse({ description: 'The track' })
  @RequirePermission('tracks:read')
  track(
    @CurrentActor() actor: Actor,
    @Param('trackId', ParseIdPipe) trackId: string,
  ): Promise<ProgramTrackView> {
    return this.tracks.execute(actor, trackId.toLowerCase());
  }

  @Post('staff')
  @Idempotent()
  @ApiOperation({ summary: 'Create a staff member (roles, sites, contact); publishes StaffMemberUpserted' })
  @ApiCreatedResponse({ description: 'The staff member as saved' })
  @RequirePermission('staff:write')
  createStaff(@CurrentActor() actor: Actor, @Body() body: StaffMemberDto): Promise<StaffMemberView> {
    return this.staffCreations.execute(actor, body);
  }

  @Put('staff/:staffId')
  @ApiOkResponse({ description: 'The staff member as saved' })
  @RequirePermission('staff:write')
  updateStaff(
    @CurrentActor() actor: Actor,
    @Param('staffId', ParseIdPipe) staffId: string,
    @Body() body: StaffMemberDto,
  ): Promise<StaffMemberView> {
    return this.staffUpdates.execute(actor, staffId.toLowerCase(), body);
  }

  @Get('staff/:staffId')
  @ApiOkResponse({ description: 'The staff member' })
  @RequirePermission('staff:read')
  staff(
    @CurrentActor() actor: Actor,
    @Param('staffId', ParseIdPipe) staffId: string,
  ): Promise<StaffMemberView> {
    return this.staffMembers.execute(actor, staffId.toLowerCase());
  }

  @Get('internal/staff/:staffId/contact')
  @ApiTags('internal')
  @ApiOperation({
    summary: "A staff member's address on one channel, for the notifications service (audited)",
  })
  @ApiOkResponse({ description: '{ channel, address, timeZone, preferredLanguage, displayName }' })
  @RequirePermission('internal:call')
  contact(
    @CurrentActor() actor: Actor,
    @Param('staffId', ParseIdPipe) staffId: string,
    @Query() query: ContactQuery,
  ): Promise<StaffContactView> {
    return this.contacts.execute(actor, staffId.toLowerCase(), query.channel);
  }
}
