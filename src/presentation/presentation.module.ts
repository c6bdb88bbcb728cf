import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DisplayController } from './display.controller.js';
import { DisplayService } from './display.service.js';
import { ContestsModule } from '../contests/contests.module.js';
import { EntriesModule } from '../entries/entries.module.js';
import { ConflictsController } from './conflicts.controller.js';
import { PanelsController } from './panels.controller.js';
import { PanelsService } from './panels.service.js';
import { PresentationService } from './presentation.service.js';
import { ScheduleExportController } from './schedule-export.controller.js';
import { ScheduleExportService } from './schedule-export.service.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { CheckInService } from './check-in.service.js';
import { SchedulesService } from './schedules.service.js';
import { TracksController } from './tracks.controller.js';

/**
 * Tracks placement, panels, conflicts of interest, assignments, sessions, the verifiable draw and
 * check-in. PresentationService (conflictFor) is exported for scoring; who sees what is src/access.
 */
@Module({
  imports: [
    ContestsModule,
    EntriesModule,
    // AuthService verifies the organizer token of the display stream, which may come as ?access_token= (EventSource).
    AuthModule,
  ],
  providers: [PresentationService, PanelsService, SessionsRepository, SessionsService, CheckInService, SchedulesService, DisplayService, ScheduleExportService],
  controllers: [TracksController, PanelsController, ConflictsController, SessionsController, DisplayController, ScheduleExportController],
  exports: [PresentationService, PanelsService],
})
export class PresentationModule {}
