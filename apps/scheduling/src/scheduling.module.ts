import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { Clock, PlatformModule, SystemClock } from '@stepwise/platform';
import { SecurityModule, servedFhirReadProviders } from '@stepwise/security';
import { AppointmentsRepository } from './appointments/appointments.repository';
import { BookAppointment } from './appointments/book-appointment';
import { CancelAppointment } from './appointments/cancel-appointment';
import { ListClientCalendar } from './appointments/list-client-calendar';
import { ListSiteCalendar } from './appointments/list-site-calendar';
import { ListStaffCalendar } from './appointments/list-staff-calendar';
import { RescheduleAppointment } from './appointments/reschedule-appointment';
import { ViewRoster } from './appointments/view-roster';
import { AppointmentsController } from './appointments/appointments.controller';
import { CareRulesController } from './care-rules/care-rules.controller';
import { CareRulesRepository } from './care-rules/care-rules.repository';
import { ListCareRuleSets } from './care-rules/list-care-rule-sets';
import { LoadCareRuleSet } from './care-rules/load-care-rule-set';
import { type SchedulingConfig } from './config/scheduling.config';
import { EnrollmentRepository } from './enrollment/enrollment.repository';
import { ChangeLevelOfCare } from './enrollment/change-level-of-care';
import { DischargeClient } from './enrollment/discharge-client';
import { EnrollClient } from './enrollment/enroll-client';
import { Seating } from './enrollment/seating';
import { IntakeEvents } from './events/intake-events.controller';
import { FhirAppointments } from './fhir/fhir-appointments';
import { FhirController } from './fhir/fhir.controller';
import { ReferenceController } from './reference/reference.controller';
import { CreateStaffMember } from './reference/create-staff-member';
import { CreateTrack } from './reference/create-track';
import { GetSite } from './reference/get-site';
import { GetStaffContact } from './reference/get-staff-contact';
import { GetStaffMember } from './reference/get-staff-member';
import { GetTrack } from './reference/get-track';
import { ReferenceRepository } from './reference/reference.repository';
import { StaffAccess } from './reference/staff-access';
import { UpdateStaffMember } from './reference/update-staff-member';
import { UpdateTrack } from './reference/update-track';
import { UpsertSite } from './reference/upsert-site';
import { SchedulingSiteDirectory } from './reference/site-directory';
import { ExtendHorizon } from './schedule/extend-horizon';
import { HorizonJob } from './schedule/horizon-job';
import { ScheduleGenerator } from './schedule/schedule-generator';
import { ScheduleRepository } from './schedule/schedule.repository';
import { CreateGroupSeries } from './series/create-group-series';
import { GetGroupSeries } from './series/get-group-series';
import { SeriesRepository } from './series/series.repository';
import { ViewSeriesCapacity } from './series/view-series-capacity';
import { WithdrawFromSeries } from './series/withdraw-from-series';
import { SeriesController } from './series/series.controller';
import { ListDaySessions } from './site-lists/list-day-sessions';
import { ListSiteReference } from './site-lists/list-site-reference';
import { SiteListsController } from './site-lists/site-lists.controller';
import { SiteListsRepository } from './site-lists/site-lists.repository';
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
      controllers: [
        ReferenceController,
        CareRulesController,
        SeriesController,
        SiteListsController,
        AppointmentsController,
        FhirController,
        IntakeEvents,
      ],
      providers: [
        { provide: Clock, useClass: SystemClock },
        ScheduleRepository,
        CareRulesRepository,
        LoadCareRuleSet,
        ListCareRuleSets,
        ScheduleGenerator,
        ExtendHorizon,
        HorizonJob,
        EnrollmentRepository,
        Seating,
        EnrollClient,
        ChangeLevelOfCare,
        DischargeClient,
        ReferenceRepository,
        StaffAccess,
        UpsertSite,
        GetSite,
        CreateTrack,
        UpdateTrack,
        GetTrack,
        CreateStaffMember,
        UpdateStaffMember,
        GetStaffMember,
        GetStaffContact,
        SeriesRepository,
        CreateGroupSeries,
        GetGroupSeries,
        ViewSeriesCapacity,
        WithdrawFromSeries,
        AppointmentsRepository,
        ListSiteCalendar,
        ListStaffCalendar,
        ListClientCalendar,
        ViewRoster,
        SiteListsRepository,
        ListSiteReference,
        ListDaySessions,
        BookAppointment,
        RescheduleAppointment,
        CancelAppointment,
        ...servedFhirReadProviders(config),
        FhirAppointments,
      ],
    };
  }
}
