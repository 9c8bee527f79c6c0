import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { PlatformModule, Clock, SystemClock } from '@stepwise/platform';
import { SecurityModule, servedFhirReadProviders } from '@stepwise/security';
import { AttendanceController } from './attendance/attendance.controller';
import { AttendanceRepository } from './attendance/attendance.repository';
import { ReadRoster } from './attendance/read-roster';
import { RecordAttendance } from './attendance/record-attendance';
import { DrugScreensController } from './drug-screens/drug-screens.controller';
import { DrugScreensRepository } from './drug-screens/drug-screens.repository';
import { IntakeEvents } from './events/intake-events.controller';
import { ReferenceDataEvents } from './events/reference-data-events.controller';
import { SchedulingEvents } from './events/scheduling-events.controller';
import { RecordDrugScreen } from './drug-screens/record-drug-screen';
import { AddMedication } from './medications/add-medication';
import { ListMedications } from './medications/list-medications';
import { MedicationsController } from './medications/medications.controller';
import { MedicationsRepository } from './medications/medications.repository';
import { StopMedication } from './medications/stop-medication';
import { type SessionsConfig } from './config/sessions.config';
import { NoteCipher } from './notes/note-cipher';
import { NotesController } from './notes/notes.controller';
import { AddAddendum } from './notes/add-addendum';
import { CosignNote } from './notes/cosign-note';
import { CreateNote } from './notes/create-note';
import { NoteAnswers } from './notes/note-answers';
import { NoteDrafts } from './notes/note-drafts';
import { NotesRepository } from './notes/notes.repository';
import { ReadNote } from './notes/read-note';
import { SignNote } from './notes/sign-note';
import { UpdateDraft } from './notes/update-draft';
import { EpisodeFactsRepository } from './progress/episode-facts.repository';
import { DeferredEvaluation } from './progress/deferred-evaluation';
import { EvaluationGauges } from './progress/evaluation-gauges';
import { EvaluateEpisode } from './progress/evaluate-episode';
import { ProgramCounters } from './progress/program-counters';
import { WeekCloser } from './progress/week-closer';
import { CareRulesRepository } from './projections/care-rules.repository';
import { FamilyParticipantsController } from './attendance/family-participants.controller';
import { FamilyParticipantsRepository } from './attendance/family-participants.repository';
import { RecordFamilyParticipants } from './attendance/record-family-participants';
import { ProjectionsRepository } from './projections/projections.repository';
import { ReportsController } from './reports/reports.controller';
import { SitesRepository } from './projections/sites.repository';
import { AuthorizationWatch } from './billing/authorization-watch';
import { BillingController } from './billing/billing.controller';
import { EncountersRepository } from './fhir/encounters.repository';
import { FhirEncounters } from './fhir/fhir-encounters';
import { FhirController } from './fhir/fhir.controller';
import { BillingRepository } from './billing/billing.repository';
import { ExportBilling } from './billing/export-billing';
import { ListBillableDays } from './billing/list-billable-days';
import { ReadProgress } from './reports/read-progress';
import { ReadCensus } from './reports/read-census';
import { ReportsRepository } from './reports/reports.repository';
import { sessionsDatabase } from './sessions.database';

/** Root module of the sessions service: session records, attendance, clinical notes, drug screens, weekly hours and progress rules. */
@Module({})
export class SessionsModule {
  static register(config: SessionsConfig): DynamicModule {
    return {
      module: SessionsModule,
      imports: [
        PlatformModule.forService({ service: 'sessions', config, database: sessionsDatabase }),
        SecurityModule.forService(),
        MessagingModule.forService({ schema: sessionsDatabase.schema }),
      ],
      controllers: [
        AttendanceController,
        FamilyParticipantsController,
        DrugScreensController,
        MedicationsController,
        NotesController,
        ReportsController,
        BillingController,
        FhirController,
        ReferenceDataEvents,
        IntakeEvents,
        SchedulingEvents,
      ],
      providers: [
        { provide: Clock, useClass: SystemClock },
        SitesRepository,
        ProjectionsRepository,
        CareRulesRepository,
        FamilyParticipantsRepository,
        RecordFamilyParticipants,
        EpisodeFactsRepository,
        EvaluateEpisode,
        DeferredEvaluation,
        EvaluationGauges,
        ProgramCounters,
        WeekCloser,
        AttendanceRepository,
        RecordAttendance,
        ReadRoster,
        DrugScreensRepository,
        RecordDrugScreen,
        MedicationsRepository,
        AddMedication,
        StopMedication,
        ListMedications,
        NoteCipher,
        NotesRepository,
        NoteDrafts,
        NoteAnswers,
        CreateNote,
        UpdateDraft,
        SignNote,
        CosignNote,
        AddAddendum,
        ReadNote,
        ReportsRepository,
        ReadProgress,
        ReadCensus,
        ListBillableDays,
        BillingRepository,
        ExportBilling,
        AuthorizationWatch,
        ...servedFhirReadProviders(config),
        EncountersRepository,
        FhirEncounters,
      ],
    };
  }
}
