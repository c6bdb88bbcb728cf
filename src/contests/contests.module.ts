import { Module } from '@nestjs/common';
import { ContestsController } from './contests.controller.js';
import { ContestsService } from './contests.service.js';

@Module({ providers: [ContestsService], controllers: [ContestsController], exports: [ContestsService] })
export class ContestsModule {}
