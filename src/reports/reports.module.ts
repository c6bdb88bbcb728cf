import { Module } from '@nestjs/common';
import { ResultsModule } from '../results/results.module.js';
import { OptionalJwtGuard } from '../results/exports/optional-auth.guard.js';
import { ReportFilesService } from './report-files.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';

/** The year's report: statistics, year on year, the award notice and the statistics workbook. */
@Module({
  imports: [ResultsModule],
  providers: [ReportsService, ReportFilesService, OptionalJwtGuard],
  controllers: [ReportsController],
})
export class ReportsModule {}
