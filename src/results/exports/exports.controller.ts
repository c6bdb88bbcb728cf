import { Controller, Get, Header, Param, Query, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiFile } from '../../common/api-docs.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { Authenticated, CurrentUser, Public } from '../../common/auth.decorators.js';
import { contentDisposition } from '../../entries/file-name.js';
import { ExportQuery } from './exports.dto.js';
import { CSV_MIME, ExportsService, PDF_MIME, XLSX_MIME, ZIP_MIME, type ExportFile } from './exports.service.js';
import { OptionalJwtGuard } from './optional-auth.guard.js';
import { ParseIdPipe } from '../../common/id.pipe.js';

function download(file: ExportFile): StreamableFile {
  return new StreamableFile(file.body, { type: file.mime, disposition: contentDisposition(file.name), length: file.body.length });
}

/** Award-list exports and 荣誉证书 (certificates). */
@ApiTags('exports')
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  /** The award list as xlsx (a sheet per level + 优秀推荐单位): public from the notice on; an organizer's token gets the current list with scores at any time after computation. */
  @Get('contests/:id/results/export.xlsx')
  @Public()
  @UseGuards(OptionalJwtGuard)
  @ApiBearerAuth()
  @ApiFile(XLSX_MIME, 'The award list workbook')
  @Header('cache-control', 'private, no-store')
  async xlsx(@CurrentUser() user: AuthUser | undefined, @Param('id', ParseIdPipe) id: number, @Query() q: ExportQuery) {
    return download(await this.exports.awardListXlsx(user, id, q.version));
  }

  /** The award list as CSV (UTF-8 with BOM): awarded entries, an empty line, then the excellent units; same access as the xlsx. */
  @Get('contests/:id/results/export.csv')
  @Public()
  @UseGuards(OptionalJwtGuard)
  @ApiBearerAuth()
  @ApiFile(CSV_MIME, 'The award list, UTF-8 CSV with BOM')
  @Header('cache-control', 'private, no-store')
  async csv(@CurrentUser() user: AuthUser | undefined, @Param('id', ParseIdPipe) id: number, @Query() q: ExportQuery) {
    return download(await this.exports.awardListCsv(user, id, q.version));
  }

  /** Every certificate of the published list (one PDF per awarded entry and per excellent unit) in one zip: organizers, after publication. */
  @Get('contests/:id/results/certificates.zip')
  @Authenticated('organizer')
  @ApiFile(ZIP_MIME, 'A zip of certificate PDFs')
  @Header('cache-control', 'private, no-store')
  async certificates(@Param('id', ParseIdPipe) id: number) {
    return download(await this.exports.certificatesZip(id));
  }

  /** The certificate of an awarded entry (PDF): its enterprise or an organizer, after publication. */
  @Get('entries/:id/certificate.pdf')
  @Authenticated('enterprise', 'organizer')
  @ApiFile(PDF_MIME, 'The certificate PDF')
  @Header('cache-control', 'private, no-store')
  async entryCertificate(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return download(await this.exports.entryCertificate(user, id));
  }

  /**
   * 评分汇总表 of a session (PDF, A4 landscape): every entry × every expert's sheet totals, the
   * dropped marks, the stage and final scores as the results compute them, a signature line per
   * expert and for the panel leader, the sign-off time and the session's data hash. Organizers only
   * (nobody else sees scores before publication; the office prints it for the panel to sign);
   * 409 session_not_signed_off before the leader's sign-off or after a sheet was reopened.
   */
  @Get('sessions/:id/score-summary.pdf')
  @Authenticated('organizer')
  @ApiProduces(PDF_MIME)
  @ApiOkResponse({ description: '评分汇总表 (application/pdf)', schema: { type: 'string', format: 'binary' } })
  @ApiConflictResponse({ description: 'session_not_signed_off' })
  @ApiNotFoundResponse({ description: 'no such session' })
  @Header('cache-control', 'private, no-store')
  async scoreSummary(@Param('id', ParseIdPipe) id: number) {
    return download(await this.exports.scoreSummary(id));
  }

  /** The certificate of an excellent recommending unit (PDF): the unit's recommender or an organizer, after publication. */
  @Get('contests/:id/units/:unitId/certificate.pdf')
  @Authenticated('recommender', 'organizer')
  @ApiFile(PDF_MIME, 'The certificate PDF')
  @Header('cache-control', 'private, no-store')
  async unitCertificate(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Param('unitId', ParseIdPipe) unitId: number) {
    return download(await this.exports.unitCertificate(user, id, unitId));
  }
}
