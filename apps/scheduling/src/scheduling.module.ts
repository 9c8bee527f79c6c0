import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { Clock, PlatformModule, SystemClock } from '@stepwise/platform';
import { SecurityModule } from '@stepwise/security';
import { AppointmentsRepository } from './appointments/appointments.repository';
import { BookAppointment } from './appointments/book-appointment';
import { CancelAppointment } from './appointments/cancel-appointment';
import { ListClientCalendar } from './appointments/list-client-calendar';
import { ListSiteCalendar } from './appointments/list-site-calendar';
import { ListStaffCalendar } from './appointments/list-staff-calendar';
import { RescheduleAppointment } from './appointments/reschedule-appointment';
import { ViewRoster } from './appointments/view-roster';
import { AppointmentsController } from './appointments/appointments.controller';
import { type SchedulingConfig } from './config/scheduling.config';
import { Enrollments } from './enrollment/enrollments';
import { IntakeEventHandlers } from './enrollment/intake-event-handlers';
import { Seating } from './enrollment/seating';
import { ReferenceController } from './reference/reference.controller';
import { ReferenceData } from './reference/reference-data';
import { SchedulingSiteDirectory } from './reference/site-directory';
import { HorizonExtension, HorizonJob } from './schedule/horizon-extension';
import { ScheduleGenerator } from './schedule/schedule-generator';
import { GroupSeries } from './series/group-series';
import { SeriesController } from './series/series.controller';
import { schedulingDatabase } from './scheduling.database';

/** Root module of the scheduling service: reference data (sites, program tracks, staff), group series, enrollments, waitlists and appointments. */
@Module({})
export class SchedulingModule {
  static register(config: SchedulingConfig): DynamicModule {
    return {
      module: SchedulingModule,
      imports: [
        PlatformModule.forService({ service: 'scheduling', config, database: schedulingDatabase }),
        SecurityModule.forService({ siteDirectory: SchedulingSiteDirectory }),
        MessagingModule.forService({ schema: schedulingDatabase.schema, consumer: IntakeEventHandlers }),
      ],
      controllers: [ReferenceController, SeriesController, AppointmentsController],
      providers: [
        { provide: Clock, useClass: SystemClock },
        ScheduleGenerator,
        Seating,
        Enrollments,
        IntakeEventHandlers,
        HorizonExtension,
        HorizonJob,
        ReferenceData,
        GroupSeries,
        AppointmentsRepository,
        ListSiteCalendar,
        ListStaffCalendar,
        ListClientCalendar,
        ViewRoster,
        BookAppointment,
        RescheduleAppointment,
        CancelAppointment,
      ],
    };
  }
}
