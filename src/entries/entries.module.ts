import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AttachmentsController } from './attachments.controller.js';
import { AttachmentsService } from './attachments.service.js';
import { EntriesController } from './entries.controller.js';
import { EntriesRepository } from './entries.repository.js';
import { EntriesService } from './entries.service.js';
import { EntryDraftingService } from './entry-drafting.service.js';
import { EntryRecommendationService } from './entry-recommendation.service.js';
import { EntryTransitions } from './entry-transitions.service.js';
import { FILE_STORAGE, LocalDiskStorage } from './file-storage.js';

@Module({
  imports: [],
  providers: [
    EntriesRepository,
    EntriesService,
    EntryDraftingService,
    EntryRecommendationService,
    EntryTransitions,
    AttachmentsService,
    // The disk under DATA_DIR today; bind another FileStorage here for an object store.
    { provide: FILE_STORAGE, useFactory: (config: AppConfig) => new LocalDiskStorage(join(config.dataDir, 'uploads')), inject: [APP_CONFIG] },
  ],
  controllers: [EntriesController, AttachmentsController],
  exports: [EntriesService, EntryTransitions, AttachmentsService],
})
export class EntriesModule {}
