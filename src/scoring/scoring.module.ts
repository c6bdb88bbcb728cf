import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthModule } from '../auth/auth.module.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ContestsModule } from '../contests/contests.module.js';
import { ProgressController } from './progress.controller.js';
import { ProgressService } from './progress.service.js';
import { ScoringController } from './scoring.controller.js';
import { SheetAdminService } from './sheet-admin.service.js';
import { SheetsRepository } from './sheets.repository.js';
import { SheetsService } from './sheets.service.js';
import { SheetSubmitService } from './sheet-submit.service.js';
import { SignOffRepository } from './sign-off.repository.js';
import { SignOffService } from './sign-off.service.js';

@Module({
  imports: [
    ContestsModule,
    AuthModule,
    // Verifies the token of the progress stream, which may come as ?access_token= (EventSource).
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, verifyOptions: { algorithms: ['HS256'] } }),
    }),
  ],
  providers: [SheetsRepository, SignOffRepository, SheetsService, SheetSubmitService, SheetAdminService, SignOffService, ProgressService],
  controllers: [ScoringController, ProgressController],
})
export class ScoringModule {}
