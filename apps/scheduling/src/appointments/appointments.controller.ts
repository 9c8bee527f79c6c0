import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CurrentActor,
  Idempotent,
  type Page,
  ParseIdPipe,
  RequirePermission,
} from '@stepwise/security';
import {
  BookAppointmentDto,
  CalendarQuery,
  CancelAppointmentDto,
  ClientCalendarQuery,
  RescheduleAppointmentDto,
} from './appointment.dto';
import { type AppointmentView, type OccurrenceView, type RosterView } from './appointment.views';
import { BookAppointment } from './book-appointment';
import { CancelAppointment } from './cancel-appointment';
import { ListClientCalendar } from './list-client-calendar';
import { ListSiteCalendar } from './list-site-calendar';
import { ListStaffCalendar } from './list-staff-calendar';
import { RescheduleAppointment } from './reschedule-appointment';
import { ViewRoster } from './view-roster';

@ApiTags('calendars and appointments')
@Controller()
export class AppointmentsController {
  constructor(
    private readonly siteCalendars: ListSiteCalendar,
    private readonly staffCalendars: ListStaffCalendar,
    private readonly clientCalendars: ListClientCalendar,
    private readonly rosters: ViewRoster,
    private readonly bookings: BookAppointment,
    private readonly reschedules: RescheduleAppointment,
    private readonly cancellations: CancelAppointment,
  ) {}

  @Get('sites/:siteId/calendar')
  @ApiOperation({ summary: "A site's sessions between two local dates (keyset pages)" })
  @ApiOkResponse({ description: 'A page of occurrences' })
  @RequirePermission('schedules:read', { site: { param: 'siteId' } })
  siteCalendar(
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: CalendarQuery,
  ): Promise<Page<OccurrenceView>> {
    return this.siteCalendars.execute(siteId.toLowerCase(), query);
  }

  @Get('staff/:staffId/calendar')
  @ApiOperation({ summary: "A facilitator's sessions between two local dates (keyset pages)" })
  @ApiOkResponse({ description: 'A page of occurrences' })
  @RequirePermission('schedules:read')
  staffCalendar(
    @CurrentActor() actor: Actor,
    @Param('staffId', ParseIdPipe) staffId: string,
    @Query() query: CalendarQuery,
  ): Promise<Page<OccurrenceView>> {
    return this.staffCalendars.execute(actor, staffId.toLowerCase(), query);
  }

  @Get('clients/:clientId/calendar')
  @ApiOperation({ summary: "A client's appointments at a site between two local dates (audited)" })
  @ApiOkResponse({ description: 'A page of appointments' })
  @RequirePermission('schedules:read', { site: { query: 'siteId' } })
  clientCalendar(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Query() query: ClientCalendarQuery,
  ): Promise<Page<AppointmentView>> {
    return this.clientCalendars.execute(actor, clientId.toLowerCase(), query.siteId.toLowerCase(), query);
  }

  @Get('occurrences/:occurrenceId/roster')
  @ApiOperation({ summary: 'Who is booked for one session (audited)' })
  @ApiOkResponse({ description: 'The occurrence and its scheduled appointments' })
  @RequirePermission('schedules:read')
  roster(
    @CurrentActor() actor: Actor,
    @Param('occurrenceId', ParseIdPipe) occurrenceId: string,
  ): Promise<RosterView> {
    return this.rosters.execute(actor, occurrenceId.toLowerCase());
  }

  @Post('sites/:siteId/appointments')
  @Idempotent()
  @ApiOperation({ summary: 'Book an individual or family session; a busy facilitator or room answers 409' })
  @ApiCreatedResponse({ description: 'The appointment' })
  @RequirePermission('schedules:write', { site: { param: 'siteId' } })
  book(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Body() body: BookAppointmentDto,
  ): Promise<AppointmentView> {
    return this.bookings.execute(actor, siteId.toLowerCase(), body);
  }

  @Post('appointments/:appointmentId/reschedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move an individual or family appointment (reason code); AppointmentRescheduled' })
  @ApiOkResponse({ description: 'The appointment' })
  @RequirePermission('schedules:write')
  reschedule(
    @CurrentActor() actor: Actor,
    @Param('appointmentId', ParseIdPipe) appointmentId: string,
    @Body() body: RescheduleAppointmentDto,
  ): Promise<AppointmentView> {
    return this.reschedules.execute(actor, appointmentId.toLowerCase(), body);
  }

  @Post('appointments/:appointmentId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an appointment (reason code); AppointmentCancelled' })
  @ApiOkResponse({ description: 'The appointment' })
  @RequirePermission('schedules:write')
  cancel(
    @CurrentActor() actor: Actor,
    @Param('appointmentId', ParseIdPipe) appointmentId: string,
    @Body() body: CancelAppointmentDto,
  ): Promise<AppointmentView> {
    return this.cancellations.execute(actor, appointmentId.toLowerCase(), body.reason);
  }
}
