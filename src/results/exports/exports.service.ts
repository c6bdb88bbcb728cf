import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource, In } from 'typeorm';
import type { AuthUser } from '../../auth/auth-user.js';
import { AppError } from '../../common/errors.js';
import { Contest } from '../../contests/contest.entities.js';
import { AccessService } from '../../access/access.service.js';
import { resultsArePublic, seesUnpublishedResults } from '../../access/results.access.js';
import { Entry } from '../../entries/entry.entities.js';
import type { AwardList } from '../award-list.js';
import { PublicResultsService } from '../public-results.service.js';
import { buildAwardListCsv } from './award-list-csv.js';
import { certificateDownloadName, certificatesFor, type Certificate } from './certificate-pdf.js';
import { documentThread } from '../../common/document-thread.js';
import { awardedInOrder, awardListFileName, fileNamePart, type ExportOptions } from './export-labels.js';
import { Clock } from '../../common/clock.js';
import { PresentationSession } from '../../presentation/presentation.entities.js';
import { loadSessionSummary, renderScoreSummaryPdf } from './score-summary.js';

/** A generated file: its download name, media type and bytes. */
export interface ExportFile {
  name: string;
  mime: string;
  body: Buffer;
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MIME = 'text/csv; charset=utf-8';
export const PDF_MIME = 'application/pdf';
export const ZIP_MIME = 'application/zip';

/** The organizer's list before the notice is not yet public: titles and file names say so. */
export const BEFORE_NOTICE_LABEL = '待公示';

const notPublished = () => AppError.forbidden('results_not_published');
const noCertificate = () => AppError.notFound('certificate_not_found');

/**
 * Award-list exports (xlsx, csv) and certificates (PDF, zip), made from PublicResultsService.awardList.
 * Who gets which list, and which certificate, is decided here.
 */
@Injectable()
export class ExportsService implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly results: PublicResultsService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  /** Ends the documents' thread (started again by the next document). */
  async onApplicationShutdown(): Promise<void> {
    await documentThread.close();
  }

  private async contestOr404(id: number): Promise<Contest> {
    const contest = await this.dataSource.getRepository(Contest).findOneBy({ id });
    if (!contest) throw AppError.notFound();
    return contest;
  }

  /**
   * The list an export is made of. An organizer: the current list at any time after computation
   * (computed, frozen or published), with scores, or any version. Anyone else, logged in or not:
   * exactly the public list (from the notice on; scores only if the contest shows them), else 404.
   */
  private async listFor(user: AuthUser | undefined, contestId: number, version?: number): Promise<{ list: AwardList; opts: ExportOptions }> {
    if (seesUnpublishedResults(user)) {
      const contest = await this.contestOr404(contestId);
      const list = await this.results.awardList(contestId, { forOrganizer: true, withScores: true, version });
      return { list, opts: resultsArePublic(contest) ? {} : { statusLabel: BEFORE_NOTICE_LABEL } };
    }
    return { list: await this.results.awardList(contestId, { version }), opts: {} };
  }

  async awardListXlsx(user: AuthUser | undefined, contestId: number, version?: number): Promise<ExportFile> {
    const { list, opts } = await this.listFor(user, contestId, version);
    return { name: awardListFileName(list, 'xlsx', opts), mime: XLSX_MIME, body: await documentThread.call('buildAwardListXlsx', list, opts) };
  }

  async awardListCsv(user: AuthUser | undefined, contestId: number, version?: number): Promise<ExportFile> {
    const { list, opts } = await this.listFor(user, contestId, version);
    return { name: awardListFileName(list, 'csv', opts), mime: CSV_MIME, body: buildAwardListCsv(list) };
  }

  /** The current published list (certificates exist only after publication). */
  private async publishedList(contestId: number): Promise<AwardList> {
    const contest = await this.contestOr404(contestId);
    if (contest.phase !== 'published' && contest.phase !== 'archived') throw notPublished();
    const list = await this.results.awardList(contestId, { withScores: false });
    if (list.status !== 'published') throw notPublished();
    return list;
  }

  /**
   * The members to print per awarded entry, when the contest's rules ask for them
   * (certificateTeamMembers; default: none, the team name only): 组长 first, then the team's order.
   */
  private async membersFor(list: AwardList): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    const contest = await this.contestOr404(list.contest.id);
    if (!contest.rules.certificateTeamMembers) return out;
    const ids = awardedInOrder(list).map((e) => e.entryId);
    if (!ids.length) return out;
    const entries = await this.dataSource.getRepository(Entry).find({ where: { id: In(ids) }, select: { id: true, team: true } });
    for (const e of entries) {
      const members = [...(e.team?.members ?? [])].filter((x) => x.name?.trim());
      const names = [...members.filter((x) => x.role === '组长'), ...members.filter((x) => x.role !== '组长')].map((x) => x.name.trim());
      if (!names.length && e.team?.leader) names.push(e.team.leader);
      out.set(e.id, [...new Set(names)]);
    }
    return out;
  }

  private async certificates(list: AwardList): Promise<Certificate[]> {
    return certificatesFor(list, this.clock.now(), await this.membersFor(list));
  }

  private async pdf(cert: Certificate): Promise<ExportFile> {
    return { name: certificateDownloadName(cert), mime: PDF_MIME, body: await documentThread.call('renderCertificatePdf', cert) };
  }

  /** Every certificate of the published list in one zip (organizer). */
  async certificatesZip(contestId: number): Promise<ExportFile> {
    const list = await this.publishedList(contestId);
    return { name: `${fileNamePart(list.contest.name, 100)}-荣誉证书（第${list.version}版）.zip`, mime: ZIP_MIME, body: await documentThread.call('buildCertificatesZip', await this.certificates(list)) };
  }

  /**
   * The certificate of an awarded entry: its enterprise or an organizer. An entry the caller may not
   * see is 404 (like every entry route); before publication 403; not awarded 404.
   */
  async entryCertificate(user: AuthUser, entryId: number): Promise<ExportFile> {
    await this.access.requireAccess(user, 'entry.read', [entryId]);
    const entry = await this.dataSource.getRepository(Entry).findOne({ where: { id: entryId }, select: { id: true, contestId: true } });
    if (!entry) throw AppError.notFound();
    const list = await this.publishedList(entry.contestId);
    const cert = (await this.certificates(list)).find((c) => c.kind === 'entry' && c.entryId === entryId);
    if (!cert) throw noCertificate();
    return this.pdf(cert);
  }

  /**
   * The certificate of an excellent recommending unit: the unit's own recommender accounts or an
   * organizer (the excellent units are on the public list, so another unit's is 403, not 404).
   */
  async unitCertificate(user: AuthUser, contestId: number, unitId: number): Promise<ExportFile> {
    await this.access.requireAccess(user, 'unit.certificate', [unitId]);
    const list = await this.publishedList(contestId);
    const cert = (await this.certificates(list)).find((c) => c.kind === 'unit' && c.unitId === unitId);
    if (!cert) throw noCertificate();
    return this.pdf(cert);
  }

  /**
   * The 评分汇总表 of a session (organizer): only while the session is signed off. A sheet reopened
   * after the sign-off clears it (ScoringService.reopen), so the old paper is 409
   * session_not_signed_off until the leader signs again; the new one shows the new marks.
   */
  async scoreSummary(sessionId: number): Promise<ExportFile> {
    return this.dataSource.transaction(async (m) => {
      const session = await m.getRepository(PresentationSession).findOneBy({ id: sessionId });
      if (!session) throw AppError.notFound();
      if (!session.signedOffAt) {
        throw AppError.conflict('session_not_signed_off');
      }
      const contest = await m.getRepository(Contest).findOneByOrFail({ id: session.contestId });
      const summary = await loadSessionSummary(m, contest, sessionId);
      return {
        name: `${fileNamePart(contest.name, 80)}-${fileNamePart(session.name, 40)}-评分汇总表.pdf`,
        mime: PDF_MIME,
        body: await renderScoreSummaryPdf(summary),
      };
    });
  }

  /**
   * Writes award-list.xlsx, award-list.csv and (once published) certificates.zip under `dir`;
   * returns the paths written. The public list from the notice on, the organizer's before it.
   */
  async writeAll(contestId: number, dir: string): Promise<string[]> {
    const contest = await this.contestOr404(contestId);
    const isPublic = resultsArePublic(contest);
    const list = await this.results.awardList(contestId, { forOrganizer: !isPublic });
    const opts: ExportOptions = isPublic ? {} : { statusLabel: BEFORE_NOTICE_LABEL };
    await mkdir(dir, { recursive: true });
    const files: [string, Buffer][] = [
      ['award-list.xlsx', await documentThread.call('buildAwardListXlsx', list, opts)],
      ['award-list.csv', buildAwardListCsv(list)],
    ];
    if (list.status === 'published' && (contest.phase === 'published' || contest.phase === 'archived')) {
      files.push(['certificates.zip', await documentThread.call('buildCertificatesZip', await this.certificates(list))]);
    }
    const written: string[] = [];
    for (const [name, body] of files) {
      const path = join(dir, name);
      await writeFile(path, body);
      written.push(path);
    }
    return written;
  }
}
