import { Module } from '@nestjs/common';
import { ContestsModule } from '../contests/contests.module.js';
import { EntriesModule } from '../entries/entries.module.js';
import { ReviewController } from './review.controller.js';
import { ReviewService } from './review.service.js';

@Module({ imports: [ContestsModule, EntriesModule], providers: [ReviewService], controllers: [ReviewController], exports: [ReviewService] })
export class ReviewModule {}
