import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { Clock, PlatformModule, SystemClock } from '@stepwise/platform';
import { SecurityModule } from '@stepwise/security';
import { Appointments } from './appointments/appointments';
import { AppointmentsController } from './appointments/appointments.controller';
import { type SchedulingConfig } from './config/scheduling.config';
import { Enrollments } from './enrollment/enrollments';
import { Seating } from './enrollment/seating';
import { IntakeEvents } from './events/intake-events.controller';
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
        MessagingModule.forService({ schema: schedulingDatabase.schema }),
      ],
      controllers: [ReferenceController, SeriesController, AppointmentsController, IntakeEvents],
      providers: [
        { provide: Clock, useClass: SystemClock },
        ScheduleGenerator,
        Seating,
        Enrollments,
        HorizonExtension,
        HorizonJob,
        ReferenceData,
        GroupSeries,
        Appointments,
      ],
    };
  }
}
