import { Module } from '@nestjs/common';
import { ContestsModule } from '../contests/contests.module.js';
import { ObjectionsService } from './objections.service.js';
import { PublicResultsService } from './public-results.service.js';
import { ResultsComputationService } from './results-computation.service.js';
import { ResultsPublicationService } from './results-publication.service.js';
import { PublicResultsController, ResultsController } from './results.controller.js';

/**
 * Results, notice, objections and publication: computation (ResultsComputationService), publication
 * (ResultsPublicationService), public results and award lists (PublicResultsService, exported for
 * the exports and certificates).
 */
@Module({
  imports: [ContestsModule],
  providers: [ResultsComputationService, ResultsPublicationService, PublicResultsService, ObjectionsService],
  controllers: [ResultsController, PublicResultsController],
  exports: [PublicResultsService],
})
export class ResultsModule {}
