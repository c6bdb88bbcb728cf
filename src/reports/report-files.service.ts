import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors.js';
import { fileNamePart } from '../results/exports/export-labels.js';
import { lazily } from '../common/file-libraries.js';
import { renderNoticePdf } from './notice-pdf.js';
import { ReportsService } from './reports.service.js';
import { buildStatisticsXlsx } from './statistics-xlsx.js';

/** notice-docx.ts with the `docx` library, loaded when a notice is first asked for as DOCX (see file-libraries.ts). */
const noticeDocx = lazily(() => import('./notice-docx.js'));

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const PDF_MIME = 'application/pdf';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const TEXT_MIME = 'text/plain; charset=utf-8';

export interface ReportFile {
  name: string;
  mime: string;
  body: Buffer;
}

/** The year's documents as files: the notice (DOCX, PDF), the summary text, the statistics workbook. */
@Injectable()
export class ReportFilesService {
  constructor(private readonly reports: ReportsService) {}

  async noticeDocx(user: AuthUser, contestId: number): Promise<ReportFile> {
    const n = await this.reports.notice(user, contestId);
    return { name: `${fileNamePart(n.title, 80)}.docx`, mime: DOCX_MIME, body: await (await noticeDocx()).renderNoticeDocx(n) };
  }

  async noticePdf(user: AuthUser, contestId: number): Promise<ReportFile> {
    const n = await this.reports.notice(user, contestId);
    return { name: `${fileNamePart(n.title, 80)}.pdf`, mime: PDF_MIME, body: await renderNoticePdf(n) };
  }

  async summaryText(user: AuthUser, contestId: number): Promise<ReportFile> {
    const st = await this.reports.fullStatistics(user, contestId);
    if (!st.summaryParagraph) throw AppError.notFound('results_not_computed');
    return { name: `${fileNamePart(st.contest.name, 80)}-年度总结.txt`, mime: TEXT_MIME, body: Buffer.from(`${st.summaryParagraph}\n`, 'utf8') };
  }

  async statisticsXlsx(user: AuthUser, contestId: number): Promise<ReportFile> {
    const st = await this.reports.fullStatistics(user, contestId);
    return { name: `${fileNamePart(st.contest.name, 80)}-统计.xlsx`, mime: XLSX_MIME, body: await buildStatisticsXlsx(st) };
  }
}
