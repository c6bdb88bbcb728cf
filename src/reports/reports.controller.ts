import { Body, Controller, Get, Header, Param, Put, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { ApiFile } from '../common/api-docs.js';
import { Authenticated, CurrentActor, CurrentUser, Public } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { contentDisposition } from '../entries/file-name.js';
import { OptionalJwtGuard } from '../results/exports/optional-auth.guard.js';
import { ReportDocumentSettingsDto } from './reports.dto.js';
import { ReportDocumentDto, StatisticsResponse } from './reports-responses.dto.js';
import { DOCX_MIME, PDF_MIME, ReportFilesService, TEXT_MIME, XLSX_MIME, type ReportFile } from './report-files.service.js';
import { ReportsService } from './reports.service.js';

function download(file: ReportFile): StreamableFile {
  return new StreamableFile(file.body, { type: file.mime, disposition: contentDisposition(file.name), length: file.body.length });
}

/** The year's report: statistics, year on year, the award notice (DOCX, PDF), the summary and the statistics workbook. */
@ApiTags('reports')
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly files: ReportFilesService,
  ) {}

  /**
   * The statistics of a contest. An organizer: every figure at any time (participation, review,
   * attendance, expert workload, score distribution, awards, objections, benefits, year on year,
   * the summary paragraph and the notice's settings). Anyone else: the public subset (participation,
   * entries and awards by unit, industry, type and track, excellent units, the summary sentence, year
   * on year over published contests) once the results are published; 404 before.
   */
  @Get('contests/:id/statistics')
  @Public()
  @UseGuards(OptionalJwtGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: StatisticsResponse })
  @Header('cache-control', 'private, no-store')
  statistics(@CurrentUser() user: AuthUser | undefined, @Param('id', ParseIdPipe) id: number): Promise<StatisticsResponse> {
    return this.reports.statistics(user, id);
  }

  /** Sets the award notice's 文号, issuing body and addressee line (organizers; audited as report.document). */
  @Put('contests/:id/report/document')
  @Authenticated('organizer')
  @ApiOkResponse({ type: ReportDocumentDto })
  setDocument(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ReportDocumentSettingsDto): Promise<ReportDocumentDto> {
    return this.reports.setDocument(user, actor, id, dto);
  }

  /** The award notice (关于公布…评选结果的通知) as DOCX, from the published list; 409 report_not_published or document_number_required. */
  @Get('contests/:id/report/notice.docx')
  @Authenticated('organizer')
  @ApiFile(DOCX_MIME, 'The award notice, Word document')
  @Header('cache-control', 'private, no-store')
  async noticeDocx(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return download(await this.files.noticeDocx(user, id));
  }

  /** The award notice as PDF (A4, 公文 margins), from the published list; same conditions as the DOCX. */
  @Get('contests/:id/report/notice.pdf')
  @Authenticated('organizer')
  @ApiFile(PDF_MIME, 'The award notice, PDF')
  @Header('cache-control', 'private, no-store')
  async noticePdf(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return download(await this.files.noticePdf(user, id));
  }

  /** The year's summary paragraph as plain UTF-8 text (organizers; 404 results_not_computed before computation). */
  @Get('contests/:id/report/summary.txt')
  @Authenticated('organizer')
  @ApiFile(TEXT_MIME, 'The summary paragraph, UTF-8 text')
  @Header('cache-control', 'private, no-store')
  async summary(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return download(await this.files.summaryText(user, id));
  }

  /** The statistics as xlsx, one sheet per table (organizers). */
  @Get('contests/:id/statistics.xlsx')
  @Authenticated('organizer')
  @ApiFile(XLSX_MIME, 'The statistics workbook')
  @Header('cache-control', 'private, no-store')
  async xlsx(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return download(await this.files.statisticsXlsx(user, id));
  }
}
