import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { PlatformModule, Clock, SystemClock } from '@stepwise/platform';
import { SecurityModule } from '@stepwise/security';
import { AttendanceController } from './attendance/attendance.controller';
import { RecordAttendance } from './attendance/record-attendance';
import { DrugScreensController } from './drug-screens/drug-screens.controller';
import { IntakeEvents } from './events/intake-events.controller';
import { ReferenceDataEvents } from './events/reference-data-events.controller';
import { SchedulingEvents } from './events/scheduling-events.controller';
import { RecordDrugScreen } from './drug-screens/record-drug-screen';
import { type SessionsConfig } from './config/sessions.config';
import { NoteCipher } from './notes/note-cipher';
import { NotesController } from './notes/notes.controller';
import { NotesService } from './notes/notes.service';
import { EpisodeFactsRepository } from './progress/episode-facts.repository';
import { EvaluateEpisode } from './progress/evaluate-episode';
import { WeekCloser } from './progress/week-closer';
import { ProjectionsRepository } from './projections/projections.repository';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { SiteRecords } from './shared/site-records';
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
        DrugScreensController,
        NotesController,
        ReportsController,
        ReferenceDataEvents,
        IntakeEvents,
        SchedulingEvents,
      ],
      providers: [
        { provide: Clock, useClass: SystemClock },
        SiteRecords,
        ProjectionsRepository,
        EpisodeFactsRepository,
        EvaluateEpisode,
        WeekCloser,
        RecordAttendance,
        RecordDrugScreen,
        NoteCipher,
        NotesService,
        ReportsService,
      ],
    };
  }
}
