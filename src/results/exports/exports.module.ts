import { Module } from '@nestjs/common';
import { ResultsModule } from '../results.module.js';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';
import { OptionalJwtGuard } from './optional-auth.guard.js';

/** Award-list exports and certificates. Exports ExportsService (writeAll, for the demo). */
@Module({
  imports: [ResultsModule],
  providers: [ExportsService, OptionalJwtGuard],
  controllers: [ExportsController],
  exports: [ExportsService],
})
export class ExportsModule {}
