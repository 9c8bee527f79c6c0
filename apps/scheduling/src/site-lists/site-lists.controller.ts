import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, type Page, ParseIdPipe, RequirePermission } from '@stepwise/security';
import {
  ActiveListQuery,
  DayQuery,
  type DaySessionItem,
  DaySessionPage,
  type SeriesItem,
  SeriesPage,
  StaffDirectoryPage,
  type StaffDirectoryItem,
  type TrackItem,
  TrackPage,
} from './site-lists.dto';
import { ListDaySessions } from './list-day-sessions';
import { ListSiteReference } from './list-site-reference';

/**
 * The lists of one site a staff screen shows. Staff who work the schedule (schedules:read: counselors,
 * supervisors, program staff) may see who runs it and which tracks and groups exist; intake coordinators see
 * the tracks they admit to (tracks:read).
 */
@ApiTags('site lists')
@Controller('sites/:siteId')
export class SiteListsController {
  constructor(
    private readonly reference: ListSiteReference,
    private readonly days: ListDaySessions,
  ) {}

  @Get('tracks')
  @RequirePermission('tracks:read', { site: { param: 'siteId' } })
  @ApiOkResponse({ type: TrackPage, description: "The site's program tracks, in id order" })
  tracks(
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: ActiveListQuery,
  ): Promise<Page<TrackItem>> {
    return this.reference.tracks(siteId.toLowerCase(), query);
  }

  @Get('staff')
  @RequirePermission('schedules:read', { site: { param: 'siteId' } })
  @ApiOkResponse({
    type: StaffDirectoryPage,
    description: 'Staff working at the site, in id order: names and roles, never contact details',
  })
  staff(
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: ActiveListQuery,
  ): Promise<Page<StaffDirectoryItem>> {
    return this.reference.staff(siteId.toLowerCase(), query);
  }

  @Get('group-series')
  @RequirePermission('groups:read', { site: { param: 'siteId' } })
  @ApiOkResponse({ type: SeriesPage, description: "The site's group series with seats taken, in id order" })
  series(
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: ActiveListQuery,
  ): Promise<Page<SeriesItem>> {
    return this.reference.series(siteId.toLowerCase(), query);
  }

  @Get('sessions')
  @RequirePermission('schedules:read', { site: { param: 'siteId' } })
  @ApiOkResponse({
    type: DaySessionPage,
    description:
      "The site's sessions of one local day in start order, each with its roster (client ids); each roster read is audited",
  })
  day(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: DayQuery,
  ): Promise<Page<DaySessionItem>> {
    return this.days.execute(actor, siteId.toLowerCase(), query);
  }
}
