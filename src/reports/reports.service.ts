import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, Not } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { statisticsScope, type StatisticsScope } from '../access/report.access.js';
import { resultsArePublic } from '../access/results.access.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { Contest } from '../contests/contest.entities.js';
import type { AwardList } from '../results/award-list.js';
import { PublicResultsService } from '../results/public-results.service.js';
import { DEFAULT_ADDRESSEE, noticeContent, type NoticeContent } from './notice-rules.js';
import { ReportDocument } from './report.entities.js';
import type { ReportDocumentSettingsDto } from './reports.dto.js';
import type { ReportDocumentDto, StatisticsResponse } from './reports-responses.dto.js';
import { AWARDED_FACTS, statisticsQueries, YEAR_QUERIES, type Dialect } from './statistics-sql.js';
import { placeholders } from '../scoring/sql.js';
import {
  figuresOf, REPORT_LEVELS, summaryParagraph, summarySentence, yearOnYear,
  type AwardedEntryFact, type CubeRow, type LevelCounts, type StatisticsFacts, type YearFacts,
} from './statistics-rules.js';

type Row = Record<string, unknown>;
const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const notPublished = () => AppError.conflict('report_not_published');
const noDocumentNumber = () => AppError.conflict('document_number_required');

/** The awards a caller's statistics are made from: the published list (or the notice list), or for an organizer the current one. */
interface AwardsSource {
  list: AwardList | null;
  status: 'computed' | 'notice' | 'published' | null;
}

/**
 * The year's report of a contest: its statistics (GROUP BY queries over the live tables, plus the
 * award list read through PublicResultsService.awardList), the year on year view, and the award notice
 * made from the published list only.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly results: PublicResultsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private get dialect(): Dialect {
    return this.dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
  }

  private async contestOr404(id: number): Promise<Contest> {
    const contest = await this.dataSource.getRepository(Contest).findOneBy({ id });
    if (!contest) throw AppError.notFound();
    return contest;
  }

  /** The award list behind the figures, or none (not computed yet, or not public for this caller). */
  private async awardsFor(contest: Contest, scope: StatisticsScope): Promise<AwardsSource> {
    try {
      if (scope === 'full') {
        const list = await this.results.awardList(contest.id, { forOrganizer: true, withScores: false });
        return { list, status: resultsArePublic(contest) ? list.status : 'computed' };
      }
      const list = await this.results.awardList(contest.id, { withScores: false });
      return { list, status: list.status };
    } catch (e) {
      if (e instanceof AppError && (e.status === 404 || e.status === 409)) return { list: null, status: null };
      throw e;
    }
  }

  private async facts(contest: Contest, awards: AwardList | null): Promise<StatisticsFacts> {
    const q = statisticsQueries(this.dialect);
    const run = (sql: string) => this.dataSource.query<Row[]>(sql, [contest.id]);
    const [totals, perUnit, cube, review, failed, attendance, workload, minutes, totalsByStage, rubrics, objections] = await Promise.all([
      run(q.totals), run(q.enterprisesPerUnit), run(q.cube), run(q.review), run(q.failedChecklists), run(q.attendance),
      run(q.workload), run(q.minutes), run(q.totalsByStage), run(q.rubrics), run(q.objections),
    ]);
    const awarded = awards ? REPORT_LEVELS.flatMap((l) => awards.levels[l].map((e) => ({ entryId: e.entryId, level: l, unitName: e.unitName }))) : [];
    const entryFacts = new Map<number, { entryType: string | null; industry: string | null }>();
    for (let i = 0; i < awarded.length; i += 1000) {
      const ids = awarded.slice(i, i + 1000).map((a) => a.entryId);
      const rows = await this.dataSource.query<Row[]>(`${AWARDED_FACTS}(${placeholders(ids)})`, [contest.id, ...ids]);
      for (const r of rows) entryFacts.set(n(r.id), { entryType: s(r.entryType), industry: s(r.industry) });
    }
    const failedKeys: string[] = [];
    for (const r of failed) {
      const items = (typeof r.checklist === 'string' ? JSON.parse(r.checklist) : r.checklist) as { key: string; ok: boolean }[] | null;
      for (const item of items ?? []) if (!item.ok) failedKeys.push(item.key);
    }
    const rubricMax = new Map<number, number>();
    for (const r of rubrics) {
      const items = (typeof r.items === 'string' ? JSON.parse(r.items) : r.items) as { max: number }[];
      rubricMax.set(n(r.id), items.reduce((sum, i) => sum + Number(i.max) * 10, 0));
    }
    const t = totals[0] ?? {};
    const obj = objections[0] ?? {};
    return {
      totals: { entries: n(t.entries), enterprises: n(t.enterprises), units: n(t.units) },
      enterprisesPerUnit: new Map(perUnit.map((r) => [n(r.unitId), n(r.enterprises)])),
      cube: cube.map((r): CubeRow => ({
        unitId: n(r.unitId), unitName: String(r.unitName), industry: s(r.industry), entryType: s(r.entryType), trackId: r.trackId === null ? null : n(r.trackId),
        trackName: s(r.trackName), status: String(r.status), entries: n(r.entries), members: n(r.members), benefitYuan: n(r.benefitYuan), declaring: n(r.declaring),
      })),
      review: review.map((r) => ({ passed: n(r.passed) > 0, returned: n(r.returned) > 0, rejected: n(r.rejected) > 0, entries: n(r.entries) })),
      failedKeys,
      checklistTitles: new Map((contest.rules.reviewChecklist ?? []).map((c) => [c.key, c.title])),
      attendance: new Map(attendance.map((r) => [String(r.attendance), n(r.n)])),
      workload: workload.map((r) => ({ expertId: n(r.expertId), expertName: String(r.expertName), stage: String(r.stage), sheets: n(r.sheets), submitted: n(r.submitted) })),
      minutes: minutes.map((r) => ({ expertId: n(r.expertId), timed: n(r.timed), totalMinutes: n(r.totalMinutes), maxMinutes: n(r.maxMinutes) })),
      totalsByStage: totalsByStage.map((r) => ({ stage: String(r.stage), rubricId: n(r.rubricId), total: n(r.total), sheets: n(r.sheets) })),
      rubricMax,
      awarded: awarded.map((a): AwardedEntryFact => ({ ...a, industry: entryFacts.get(a.entryId)?.industry ?? null, entryType: entryFacts.get(a.entryId)?.entryType ?? null })),
      objections: { filed: n(obj.filed), answered: n(obj.answered), upheld: n(obj.upheld) },
    };
  }

  /** This contest and the earlier ones of the deployment (by year; drafts left out; for the public only published ones). */
  private async years(contest: Contest, scope: StatisticsScope, current: { list: AwardList | null }): Promise<YearFacts[]> {
    const phases = scope === 'full' ? Not('draft' as const) : In(['published', 'archived']);
    const contests = await this.dataSource.getRepository(Contest).find({ where: { year: LessThanOrEqual(contest.year), phase: phases }, order: { year: 'ASC', id: 'ASC' } });
    if (!contests.some((c) => c.id === contest.id)) contests.push(contest);
    const [participation, review] = await Promise.all([this.dataSource.query<Row[]>(YEAR_QUERIES.participation), this.dataSource.query<Row[]>(YEAR_QUERIES.review)]);
    const byContest = new Map(participation.map((r) => [n(r.contestId), r]));
    const reviewBy = new Map(review.map((r) => [n(r.contestId), r]));
    const out: YearFacts[] = [];
    for (const c of contests) {
      const list = c.id === contest.id ? current.list : (await this.awardsFor(c, scope)).list;
      const awards: LevelCounts = { first: 0, second: 0, third: 0, excellence: 0, total: 0 };
      for (const l of REPORT_LEVELS) {
        awards[l] = list?.levels[l].length ?? 0;
        awards.total += awards[l];
      }
      const p = byContest.get(c.id) ?? {};
      const r = reviewBy.get(c.id) ?? {};
      out.push({ contestId: c.id, name: c.name, year: c.year, entries: n(p.entries), enterprises: n(p.enterprises), units: n(p.units), reviewed: n(r.reviewed), passed: n(r.passed), awards, excellentUnits: list?.excellentUnits.length ?? 0 });
    }
    return out;
  }

  /** GET /contests/:id/statistics: an organizer's full figures, or the public subset once published (else 404). */
  async statistics(user: AuthUser | undefined, contestId: number): Promise<StatisticsResponse> {
    const contest = await this.contestOr404(contestId);
    const scope = statisticsScope(user, contest);
    if (!scope) throw AppError.notFound();
    const awards = await this.awardsFor(contest, scope);
    const [facts, years] = await Promise.all([this.facts(contest, awards.list), this.years(contest, scope, awards)]);
    const fig = figuresOf(facts);
    const excellentUnits = (awards.list?.excellentUnits ?? []).map((u) => ({ place: u.place, unitName: u.unitName, points: u.points, awardedEntries: u.awardedEntries }));
    const sentence = awards.list ? summarySentence(fig.awards.counts, excellentUnits.length) : null;
    const common: StatisticsResponse = {
      contest: { id: contest.id, name: contest.name, year: contest.year, phase: contest.phase },
      scope,
      participation: fig.participation,
      entriesByUnit: fig.entriesByUnit,
      entriesByIndustry: fig.entriesByIndustry,
      entriesByType: fig.entriesByType,
      entriesByTrack: fig.entriesByTrack,
      awards: { status: awards.status, version: awards.list?.version ?? null, ...fig.awards },
      excellentUnits,
      summarySentence: sentence,
      yearOnYear: yearOnYear(years),
    };
    if (scope === 'public') return common;
    return {
      ...common,
      review: fig.review,
      attendance: fig.attendance,
      expertWorkload: fig.expertWorkload,
      scoreDistribution: fig.scoreDistribution,
      objections: fig.objections,
      benefits: fig.benefits,
      summaryParagraph: awards.list ? summaryParagraph(contest, fig, excellentUnits.length) : null,
      document: await this.documentOf(contest),
    };
  }

  /** The organizer's statistics (xlsx export). */
  async fullStatistics(user: AuthUser, contestId: number): Promise<StatisticsResponse> {
    await this.access.requireAccess(user, 'contest.report', [contestId]);
    return this.statistics(user, contestId);
  }

  private async documentOf(contest: Contest): Promise<ReportDocumentDto> {
    const row = await this.dataSource.getRepository(ReportDocument).findOneBy({ contestId: contest.id });
    return {
      documentNumber: row?.documentNumber ?? null,
      issuer: row?.issuer ?? `${contest.name}组委会`,
      addressee: row?.addressee ?? DEFAULT_ADDRESSEE,
      updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
      noticeReady: !!row && (contest.phase === 'published' || contest.phase === 'archived'),
    };
  }

  /** PUT /contests/:id/report/document: the notice's 文号, issuer and addressee (audited). */
  async setDocument(user: AuthUser, actor: Actor, contestId: number, dto: ReportDocumentSettingsDto): Promise<ReportDocumentDto> {
    await this.access.requireAccess(user, 'contest.report', [contestId]);
    const contest = await this.contestOr404(contestId);
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ReportDocument);
      const before = await repo.findOneBy({ contestId });
      const values = { documentNumber: dto.documentNumber.trim(), issuer: dto.issuer?.trim() ?? null, addressee: dto.addressee?.trim() ?? null, updatedBy: actor.id ?? 0, updatedAt: this.clock.now() };
      if (before) await repo.update({ id: before.id }, values);
      else await repo.insert({ contestId, ...values });
      const view = (r: { documentNumber: string; issuer: string | null; addressee: string | null } | null) => (r ? { documentNumber: r.documentNumber, issuer: r.issuer, addressee: r.addressee } : null);
      await this.audit.record(m, actor, { action: 'report.document', targetType: 'contest', targetId: contestId, before: view(before), after: view(values) });
    });
    return this.documentOf(contest);
  }

  /** The notice's content, from the published list only (409 before publication or without a 文号). */
  async notice(user: AuthUser, contestId: number): Promise<NoticeContent> {
    await this.access.requireAccess(user, 'contest.report', [contestId]);
    const contest = await this.contestOr404(contestId);
    if (contest.phase !== 'published' && contest.phase !== 'archived') throw notPublished();
    const list = await this.results.awardList(contestId, { withScores: false });
    if (list.status !== 'published') throw notPublished();
    const settings = await this.dataSource.getRepository(ReportDocument).findOneBy({ contestId });
    if (!settings) throw noDocumentNumber();
    return noticeContent(list, settings, this.clock.now());
  }
}
