import { Module } from '@nestjs/common';
import { ContestsModule } from '../contests/contests.module.js';
import { EntriesModule } from '../entries/entries.module.js';
import { ConflictsController } from './conflicts.controller.js';
import { PanelsController } from './panels.controller.js';
import { PanelsService } from './panels.service.js';
import { PresentationService } from './presentation.service.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { TracksController } from './tracks.controller.js';

/**
 * Tracks placement, panels, conflicts of interest, assignments, sessions, the verifiable draw and
 * check-in. PresentationService (conflictFor) is exported for scoring; who sees what is src/access.
 */
@Module({
  imports: [ContestsModule, EntriesModule],
  providers: [PresentationService, PanelsService, SessionsService],
  controllers: [TracksController, PanelsController, ConflictsController, SessionsController],
  exports: [PresentationService],
})
export class PresentationModule {}
