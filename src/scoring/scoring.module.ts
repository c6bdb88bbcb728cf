import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthModule } from '../auth/auth.module.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ContestsModule } from '../contests/contests.module.js';
import { ProgressController } from './progress.controller.js';
import { ProgressService } from './progress.service.js';
import { ScoringController } from './scoring.controller.js';
import { ScoringService } from './scoring.service.js';

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
  providers: [ScoringService, ProgressService],
  controllers: [ScoringController, ProgressController],
  exports: [ScoringService],
})
export class ScoringModule {}
