import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from './access/access.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ContestsModule } from './contests/contests.module.js';
import { EntriesModule } from './entries/entries.module.js';
import { ExpertiseModule } from './expertise/expertise.module.js';
import { OrganisationsModule } from './organisations/organisations.module.js';
import { PresentationModule } from './presentation/presentation.module.js';
import { ExportsModule } from './results/exports/exports.module.js';
import { ResultsModule } from './results/results.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { ReviewModule } from './review/review.module.js';
import { ScoringModule } from './scoring/scoring.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { Clock, createClock } from './common/clock.js';
import { buildDataSourceOptions, limitPoolWait, sharePromiseWrappers } from './database/data-source.js';
import { bindSqliteIntegers } from './database/sqlite-binding.js';
import { prepareSchema, StartupWaitError } from './database/startup-lock.js';
import { hardenTransactions } from './database/transactions.js';
import { DataSource } from 'typeorm';
import { HealthController } from './health/health.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => ({
            ...(await buildDataSourceOptions(config)),
            // Few retries: a wrong DATABASE_URL should fail fast with its message, not after half a minute.
            retryAttempts: 2,
            retryDelay: 1000,
            // Having waited MIGRATIONS_WAIT_SECONDS for another instance already, do not wait twice more.
            toRetry: (e: unknown) => !(e instanceof StartupWaitError),
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await bindSqliteIntegers(new DataSource(options!)).initialize();
            try {
              // Not TypeORM's migrationsRun: migrations run under a database lock, so instances may start together.
              await prepareSchema(dataSource, config);
            } catch (e) {
              await dataSource.destroy();
              throw e;
            }
            return hardenTransactions(sharePromiseWrappers(limitPoolWait(dataSource)));
          },
        }),
        TerminusModule,
        AuditModule,
        AccessModule,
        AccountsModule,
        AuthModule,
        OrganisationsModule,
        ContestsModule,
        EntriesModule,
        ExpertiseModule,
        ReviewModule,
        PresentationModule,
        ScoringModule,
        ResultsModule,
        ExportsModule,
        ReportsModule,
        NotificationsModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: Clock, useValue: createClock(config.clock) },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}
