import { Module } from '@nestjs/common';
import { ContestsModule } from '../contests/contests.module.js';
import { ObjectionsService } from './objections.service.js';
import { PublicResultsController, ResultsController } from './results.controller.js';
import { ResultsService } from './results.service.js';

/** Results, notice, objections and publication. Exports ResultsService (award lists for the exports). */
@Module({
  imports: [ContestsModule],
  providers: [ResultsService, ObjectionsService],
  controllers: [ResultsController, PublicResultsController],
  exports: [ResultsService],
})
export class ResultsModule {}
