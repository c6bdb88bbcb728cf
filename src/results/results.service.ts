import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { PUBLIC_RESULT_PHASES, resultsArePublic, snapshotIsPublic } from '../access/results.access.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { AppError, fieldError } from '../common/errors.js';
import { pageWindow, type PageQuery } from '../common/pagination.js';
import { Contest, type Phase } from '../contests/contest.entities.js';
import { ContestsService } from '../contests/contests.service.js';
import { Entry } from '../entries/entry.entities.js';
import { CONTEST_PHASE_LABELS } from '../judging/contest-phase.js';
import type { AwardList } from './award-list.js';
import { payloadListHash, publicListHash, toAwardList } from './award-list-builder.js';
import { anchorOf, loadAnchorEvents } from './snapshot-anchor.js';
import { canonicalDigest } from './canonical-json.js';
import { applyOutcomes } from './entry-outcomes.js';
import { ResultAdjustment, ResultSnapshot, Objection } from './results.entities.js';
import { loadAdjustments, loadResultsFacts, toAdjustmentFact, verifySnapshot, type MissingSheet, type Verification } from './results-data.js';
import { buildPayload, formatPoints, panelQuality, type AdjustmentFact, type ResultsPayload } from './results-payload.js';
import { toResultsView, toSnapshotResponse, type AdjustmentDto, type ComputeResultsDto, type RepublishDto, type ResultsQuery } from './results.dto.js';
import { Clock } from '../common/clock.js';

/** Phases in which the award list is public (公示 and after). */

/** The columns of a snapshot without its (possibly large) payload. */
const SNAPSHOT_HEAD = ['s.id', 's.contestId', 's.version', 's.status', 's.hash', 's.reason', 's.createdBy', 's.createdAt', 's.frozenAt', 's.publishedAt'];

const wholeSeconds = (d: Date): Date => {
  d.setMilliseconds(0);
  return d;
};

function wrongPhase(phase: Phase, wanted: Phase): AppError {
  return AppError.conflict(
    'wrong_phase',
    { zh: `评比处于「${CONTEST_PHASE_LABELS[phase]}」阶段，此操作须在「${CONTEST_PHASE_LABELS[wanted]}」阶段进行`, en: `Not allowed in phase ${phase}; needs ${wanted}` },
    { phase, needs: wanted },
  );
}

const notComputed = () => AppError.notFound('results_not_computed', { zh: '尚未计算评审结果', en: 'The results have not been computed' });
const frozen = () => AppError.conflict('results_frozen', { zh: '评审结果已锁定，公示前不能再计算或调整', en: 'The results are frozen; they cannot be recomputed or adjusted before the notice' });

function sheetsMissing(missing: MissingSheet[]): AppError {
  return AppError.conflict(
    'sheets_missing',
    { zh: `还有 ${missing.length} 张评分表未提交，不能计算结果`, en: `${missing.length} assigned score sheets are not submitted` },
    { count: missing.length, sheets: missing.slice(0, 100) },
  );
}

/**
 * Results: computation from the raw sheets with explanations, the organizer's adjustments, freezing
 * for the notice (公示), publication and later corrections as new published versions, the public
 * award list, and the recompute check. Objections live in ObjectionsService.
 */
@Injectable()
export class ResultsService implements OnModuleInit {
  /** Award lists by snapshot id + hash + scores shown (immutable content; a few recent ones). */
  private readonly listCache = new Map<string, Pick<AwardList, 'levels' | 'excellentUnits' | 'listHash'>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly contests: ContestsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.contests.registerFactsProvider(async (m, contest, to, facts) => {
      if (to === 'notice') {
        const current = await this.currentSnapshot(m, contest.id, false);
        facts.resultsFrozen = current?.status === 'frozen';
        // Freezing refuses unresolved ties, so only a computed (unfrozen) result can still have some.
        facts.unresolvedTieCount = current?.status === 'computed' ? ((await this.payloadOf(m, current.id)).unresolvedTieCount ?? 0) : 0;
      }
      if (to === 'published') {
        facts.openObjectionCount = await m.getRepository(Objection).countBy({ contestId: contest.id, status: 'open' });
      }
    });
    this.contests.registerPhaseHook(async (m, contest, _from, to, actor) => {
      if (to !== 'published') return;
      // Publication freezes the notice list for good: the same snapshot, now `published`.
      const current = await this.currentSnapshot(m, contest.id, false);
      if (!current || current.status !== 'frozen') {
        throw AppError.conflict('results_not_frozen', { zh: '没有已锁定的公示结果，不能发布', en: 'There is no frozen result to publish' });
      }
      const now = wholeSeconds(this.clock.now());
      await m.getRepository(ResultSnapshot).update({ id: current.id, status: 'frozen' }, { status: 'published', publishedAt: now });
      const payload = await this.payloadOf(m, current.id);
      const outcomes = await applyOutcomes(m, actor, contest.id, payload, now);
      const listHash = payloadListHash(payload, current, !!contest.rules.showScoresPublicly);
      await this.audit.record(m, actor, {
        action: 'results.publish',
        targetType: 'contest',
        targetId: contest.id,
        before: { snapshotId: current.id, version: current.version, status: 'frozen' },
        after: { snapshotId: current.id, version: current.version, status: 'published', hash: current.hash, listHash, publishedAt: now.toISOString(), entries: outcomes },
      });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Snapshots
  // -------------------------------------------------------------------------------------------

  /** The contest's current snapshot: the highest version that is not superseded. */
  async currentSnapshot(m: EntityManager, contestId: number, withPayload: boolean): Promise<ResultSnapshot | null> {
    const qb = m.getRepository(ResultSnapshot).createQueryBuilder('s')
      .where('s.contestId = :contestId', { contestId })
      .andWhere('s.status <> :superseded', { superseded: 'superseded' })
      .orderBy('s.version', 'DESC')
      .limit(1);
    if (!withPayload) qb.select(SNAPSHOT_HEAD);
    return qb.getOne();
  }

  private async snapshotByVersion(m: EntityManager, contestId: number, version: number, withPayload = true): Promise<ResultSnapshot | null> {
    const qb = m.getRepository(ResultSnapshot).createQueryBuilder('s').where('s.contestId = :contestId AND s.version = :version', { contestId, version });
    if (!withPayload) qb.select(SNAPSHOT_HEAD);
    return qb.getOne();
  }

  private async payloadOf(m: EntityManager, snapshotId: number): Promise<ResultsPayload> {
    const row = await m.getRepository(ResultSnapshot).findOne({ where: { id: snapshotId }, select: { id: true, payload: true } });
    return row!.payload as ResultsPayload;
  }

  /**
   * The tie-break order a snapshot recorded (`payload.tieBreakOrder`, [] when absent), read from the
   * database without loading the payload: a snapshot of 10,000 entries is ~25 MB of JSON, which the
   * compute and freeze routes used to read and parse for this one small array.
   */
  private async storedTieBreakOrder(m: EntityManager, snapshotId: number): Promise<number[]> {
    const rows = (await m.query("SELECT JSON_EXTRACT(payload, '$.tieBreakOrder') AS t FROM result_snapshots WHERE id = ?", [snapshotId])) as { t: unknown }[];
    const t = rows[0]?.t ?? null;
    // JSON text on MariaDB and SQLite; already parsed where the driver types it as JSON (MySQL).
    const order = typeof t === 'string' ? (JSON.parse(t) as unknown) : t;
    return (order ?? []) as number[];
  }

  private async nextVersion(m: EntityManager, contestId: number): Promise<number> {
    const row = await m.getRepository(ResultSnapshot).createQueryBuilder('s').select('MAX(s.version)', 'v').where('s.contestId = :contestId', { contestId }).getRawOne<{ v: number | string | null }>();
    return Number(row?.v ?? 0) + 1;
  }

  /** Locks the contest row (MySQL/MariaDB; SQLite serialises writers anyway) and reads it. */
  private async lockContest(m: EntityManager, id: number): Promise<Contest> {
    if (m.connection.options.type !== 'better-sqlite3') await m.query('SELECT id FROM contests WHERE id = ? FOR UPDATE', [id]);
    const contest = await m.getRepository(Contest).findOneBy({ id });
    if (!contest) throw AppError.notFound();
    return contest;
  }

  private async contestOr404(m: EntityManager, id: number): Promise<Contest> {
    const contest = await m.getRepository(Contest).findOneBy({ id });
    if (!contest) throw AppError.notFound();
    return contest;
  }

  /**
   * Computes the payload from the raw rows: refuses while assigned sheets are missing, and refuses a
   * tie-break order naming entries that are not judged in this contest.
   */
  private async computePayload(m: EntityManager, contest: Contest, tieBreakOrder: number[], adjustments: AdjustmentFact[]): Promise<{ payload: ResultsPayload; hash: string }> {
    const { facts, missing } = await loadResultsFacts(m, contest);
    if (missing.length) throw sheetsMissing(missing);
    const judged = new Set(facts.entries.filter((e) => e.participation === 'judged').map((e) => e.entryId));
    const unknown = tieBreakOrder.filter((id) => !judged.has(id));
    if (unknown.length) {
      throw AppError.badRequest('validation_failed', undefined, [
        fieldError('tieBreakOrder', 'unknown_entry', `成果 ${unknown.join('、')} 不在本次参评成果中`, `Entries ${unknown.join(', ')} are not judged in this contest`),
      ]);
    }
    const payload = buildPayload(facts, { tieBreakOrder, adjustments });
    const { hash, bytes } = canonicalDigest(payload);
    await this.assertStorable(m, bytes);
    return { payload, hash };
  }

  /**
   * MySQL/MariaDB refuse a statement larger than max_allowed_packet (16 MB by default on MariaDB);
   * a snapshot takes about 2.7 KB per entry. Say so instead of failing with a driver error.
   */
  private async assertStorable(m: EntityManager, bytes: number): Promise<void> {
    if (m.connection.options.type === 'better-sqlite3') return;
    const [row] = (await m.query('SELECT @@max_allowed_packet AS p')) as { p: number | string }[];
    const limit = Number(row?.p ?? 0);
    if (limit > 0 && bytes + 64 * 1024 > limit) {
      throw AppError.conflict(
        'results_too_large',
        { zh: `评审结果快照（${Math.ceil(bytes / 1048576)} MB）超过数据库允许的单条语句大小（max_allowed_packet = ${Math.floor(limit / 1048576)} MB），请调大该设置`, en: `The results snapshot (${bytes} bytes) exceeds the database's max_allowed_packet (${limit}); raise it` },
        { bytes, maxAllowedPacket: limit },
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Finalizing
  // -------------------------------------------------------------------------------------------

  /** POST /contests/:id/results/compute */
  async compute(actor: Actor, contestId: number, dto: ComputeResultsDto) {
    return this.dataSource.transaction(async (m) => {
      const contest = await this.lockContest(m, contestId);
      if (contest.phase !== 'finalizing') throw wrongPhase(contest.phase, 'finalizing');
      // Without its payload: only the recorded tie-break order is needed from it.
      const current = await this.currentSnapshot(m, contestId, false);
      if (current && current.status !== 'computed') throw frozen();
      const tieBreakOrder = dto.tieBreakOrder ?? (current ? await this.storedTieBreakOrder(m, current.id) : []);
      const { payload, hash } = await this.computePayload(m, contest, tieBreakOrder, await loadAdjustments(m, contestId));
      const repo = m.getRepository(ResultSnapshot);
      const now = wholeSeconds(this.clock.now());
      let snapshot: ResultSnapshot;
      if (current) {
        await repo.update({ id: current.id }, { payload: payload as object, hash, reason: dto.reason ?? null, createdBy: actor.id ?? 0, createdAt: now });
        snapshot = Object.assign(current, { payload, hash, reason: dto.reason ?? null, createdBy: actor.id ?? 0, createdAt: now });
      } else {
        snapshot = repo.create({
          contestId, version: await this.nextVersion(m, contestId), status: 'computed', payload, hash, reason: dto.reason ?? null,
          createdBy: actor.id ?? 0, createdAt: now, frozenAt: null, publishedAt: null,
        });
        await repo.save(snapshot);
      }
      const summary = computeSummary(snapshot, payload);
      await this.audit.record(m, actor, {
        action: 'results.compute',
        targetType: 'contest',
        targetId: contestId,
        before: current ? { snapshotId: current.id, version: current.version, hash: current.hash } : null,
        after: { snapshotId: snapshot.id, version: snapshot.version, hash, tieBreakOrder, reason: dto.reason ?? null, levelCounts: payload.levelCounts, unresolvedTieCount: payload.unresolvedTieCount },
      });
      return summary;
    });
  }

  /** GET /contests/:id/results (organizer) */
  async view(contestId: number, q: ResultsQuery) {
    const m = this.dataSource.manager;
    const contest = await this.contestOr404(m, contestId);
    const snapshot = q.version !== undefined ? await this.snapshotByVersion(m, contestId, q.version) : await this.currentSnapshot(m, contestId, true);
    if (!snapshot) throw q.version !== undefined ? AppError.notFound() : notComputed();
    const payload = snapshot.payload as ResultsPayload;
    const window = pageWindow(q);
    const shown = payload.entries.slice(window.skip, window.skip + window.take);
    const expertIds = [...new Set(shown.flatMap((e) => [...(e.stages.material?.marks ?? []), ...(e.stages.presentation?.marks ?? [])].map((x) => x.expertId)))];
    return toResultsView({ id: contest.id, name: contest.name, phase: contest.phase }, snapshot, payload, window, await this.expertNames(m, expertIds));
  }

  private async expertNames(m: EntityManager, ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: number; name: string }[] = await m.query(`SELECT id, name FROM experts WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }

  /**
   * POST /contests/:id/results/adjustments. In finalizing: recorded and applied to the computed
   * result (recomputed from the sheets). After publication: a correction, i.e. a new published
   * version with this adjustment and its reason.
   */
  async adjust(actor: Actor, contestId: number, dto: AdjustmentDto) {
    const phase = (await this.contestOr404(this.dataSource.manager, contestId)).phase;
    if (phase === 'published') return this.republish(actor, contestId, { reason: dto.reason, adjustments: [dto] });
    return this.dataSource.transaction(async (m) => {
      const contest = await this.lockContest(m, contestId);
      if (contest.phase === 'published') throw AppError.conflict('phase_changed_concurrently', { zh: '评比阶段已变化，请重试', en: 'The phase changed; retry' });
      if (contest.phase !== 'finalizing') throw wrongPhase(contest.phase, 'finalizing');
      const current = await this.currentSnapshot(m, contestId, true);
      if (!current) throw AppError.conflict('results_not_computed', { zh: '请先计算评审结果再调整', en: 'Compute the results before adjusting them' });
      if (current.status !== 'computed') throw frozen();
      const before = current.payload as ResultsPayload;
      const target = checkAdjustable(before, dto.entryId);
      const previousHash = current.hash;
      const adjustment = await this.insertAdjustment(m, actor, contestId, dto);
      const { payload, hash } = await this.computePayload(m, contest, before.tieBreakOrder ?? [], await loadAdjustments(m, contestId));
      await m.getRepository(ResultSnapshot).update({ id: current.id }, { payload: payload as object, hash });
      Object.assign(current, { payload, hash });
      const after = payload.entries.find((e) => e.entryId === dto.entryId)!;
      await this.audit.record(m, actor, {
        action: 'results.adjust',
        targetType: 'entry',
        targetId: dto.entryId,
        before: { level: target.level, computedLevel: target.computedLevel, adjustmentId: target.adjustmentId, snapshotId: current.id, hash: previousHash },
        after: { adjustmentId: adjustment.id, level: dto.level, computedLevel: after.computedLevel, reason: dto.reason, snapshotId: current.id, hash },
      });
      return { adjustment: { ...toAdjustmentFact(adjustment), title: after.title, computedLevel: after.computedLevel }, ...computeSummary(current, payload) };
    });
  }

  private async insertAdjustment(m: EntityManager, actor: Actor, contestId: number, dto: AdjustmentDto): Promise<ResultAdjustment> {
    const repo = m.getRepository(ResultAdjustment);
    const row = repo.create({ contestId, entryId: dto.entryId, level: dto.level, reason: dto.reason, createdBy: actor.id ?? 0, createdAt: wholeSeconds(this.clock.now()) });
    await repo.insert(row);
    return row;
  }

  /** POST /contests/:id/results/freeze: the computed result becomes the notice list, fixed by its hash. */
  async freeze(actor: Actor, contestId: number) {
    return this.dataSource.transaction(async (m) => {
      const contest = await this.lockContest(m, contestId);
      if (contest.phase !== 'finalizing') throw wrongPhase(contest.phase, 'finalizing');
      // Without its payload: the stored hash and the recorded tie-break order are all that is needed.
      const current = await this.currentSnapshot(m, contestId, false);
      if (!current) throw AppError.conflict('results_not_computed', { zh: '请先计算评审结果', en: 'Compute the results first' });
      if (current.status !== 'computed') throw frozen();
      // What is frozen must still be what the sheets say (a sheet may have been reopened since).
      const { payload, hash } = await this.computePayload(m, contest, await this.storedTieBreakOrder(m, current.id), await loadAdjustments(m, contestId));
      if (hash !== current.hash) {
        throw AppError.conflict('results_outdated', { zh: '评分或调整在计算后有变化，请重新计算后再锁定', en: 'Sheets or adjustments changed since the computation; recompute before freezing' }, {
          storedHash: current.hash,
          recomputedHash: hash,
        });
      }
      if (payload.unresolvedTieCount > 0) {
        throw AppError.conflict('ties_unresolved', { zh: `还有 ${payload.unresolvedTieCount} 处名额边界并列未作决定（请记录并列排序或调整等级）`, en: `${payload.unresolvedTieCount} boundary ties still need the organizer's decision` }, {
          boundaryTies: payload.boundaryTies.filter((t) => t.needsOrganizerDecision && !t.settledByAdjustment),
        });
      }
      const now = wholeSeconds(this.clock.now());
      await m.getRepository(ResultSnapshot).update({ id: current.id, status: 'computed' }, { status: 'frozen', frozenAt: now });
      Object.assign(current, { status: 'frozen', frozenAt: now });
      await this.audit.record(m, actor, {
        action: 'results.freeze',
        targetType: 'contest',
        targetId: contestId,
        before: { snapshotId: current.id, version: current.version, status: 'computed' },
        // The anchor of the notice list: its hash and the public list's hash, in the audit chain.
        after: { snapshotId: current.id, version: current.version, status: 'frozen', hash: current.hash, listHash: payloadListHash(payload, current, !!contest.rules.showScoresPublicly), adjustments: payload.adjustments.length },
      });
      return computeSummary(current, payload);
    });
  }

  /** GET /contests/:id/results/quality: the panel quality report from the sheets submitted so far. */
  async quality(contestId: number) {
    const m = this.dataSource.manager;
    const contest = await this.contestOr404(m, contestId);
    const { facts } = await loadResultsFacts(m, contest);
    const report = panelQuality(facts);
    const titles = new Map(facts.entries.map((e) => [e.entryId, e.title]));
    const panelNames = new Map(facts.entries.filter((e) => e.panelId !== null).map((e) => [`panel:${e.panelId}`, e.panelName]));
    const trackNames = new Map(facts.entries.map((e) => [`track:${e.trackId ?? 0}`, e.trackName]));
    const experts = await this.expertNames(m, [...new Set(facts.sheets.map((s) => s.expertId))]);
    const round = (x: number) => Math.round(x * 10000) / 10000;
    return {
      contest: { id: contest.id, name: contest.name, phase: contest.phase },
      sheetCount: facts.sheets.length,
      panels: report.map((p) => ({
        panel: p.panel,
        panelName: panelNames.get(p.panel) ?? trackNames.get(p.panel) ?? null,
        stage: p.stage,
        kendallW: p.report.kendallW === null ? null : round(p.report.kendallW),
        kendall: { ...p.report.kendall, value: p.report.kendall.value === null ? null : round(p.report.kendall.value) },
        experts: p.report.experts.map((x) => ({
          expertId: x.expertId,
          expertName: experts.get(x.expertId) ?? null,
          count: x.count,
          mean: formatPoints(x.mean),
          stdDev: round(x.stdDevPoints),
          meanDeviation: formatPoints(x.meanDeviation),
          droppedHighest: x.droppedHighest,
          droppedLowest: x.droppedLowest,
          droppedShare: x.count === 0 ? 0 : round((x.droppedHighest + x.droppedLowest) / x.count),
        })),
        entries: p.report.entries.map((e) => ({
          entryId: e.entryId,
          title: titles.get(e.entryId) ?? null,
          count: e.count,
          mean: formatPoints(e.mean),
          min: formatPoints(e.min * 1000, 1),
          max: formatPoints(e.max * 1000, 1),
          disagreement: formatPoints(e.disagreement * 1000, 1),
        })),
      })),
    };
  }

  /** POST /contests/:id/results/verify: recompute and compare with the stored hash (nothing written). */
  async verify(contestId: number, version?: number): Promise<Verification> {
    return this.dataSource.transaction(async (m) => {
      const contest = await this.contestOr404(m, contestId);
      const snapshot = version !== undefined ? await this.snapshotByVersion(m, contestId, version) : await this.currentSnapshot(m, contestId, true);
      if (!snapshot) throw version !== undefined ? AppError.notFound() : notComputed();
      return verifySnapshot(m, contest, snapshot);
    });
  }

  // -------------------------------------------------------------------------------------------
  // After publication
  // -------------------------------------------------------------------------------------------

  /** POST /contests/:id/results/republish: a new published version with a reason; the old one is superseded. */
  async republish(actor: Actor, contestId: number, dto: RepublishDto) {
    return this.dataSource.transaction(async (m) => {
      const contest = await this.lockContest(m, contestId);
      if (contest.phase !== 'published') throw wrongPhase(contest.phase, 'published');
      const current = await this.currentSnapshot(m, contestId, true);
      if (!current || current.status !== 'published') throw AppError.conflict('results_not_published', { zh: '没有已发布的结果', en: 'There is no published result' });
      const before = current.payload as ResultsPayload;
      const inserted: ResultAdjustment[] = [];
      for (const a of dto.adjustments ?? []) {
        checkAdjustable(before, a.entryId);
        inserted.push(await this.insertAdjustment(m, actor, contestId, a));
      }
      const { payload, hash } = await this.computePayload(m, contest, before.tieBreakOrder ?? [], await loadAdjustments(m, contestId));
      if (hash === current.hash) {
        throw AppError.conflict('results_unchanged', { zh: '新结果与已发布结果相同，无需重新发布', en: 'The recomputed result equals the published one' });
      }
      const now = wholeSeconds(this.clock.now());
      const repo = m.getRepository(ResultSnapshot);
      await repo.update({ id: current.id, status: 'published' }, { status: 'superseded' });
      const snapshot = repo.create({
        contestId, version: await this.nextVersion(m, contestId), status: 'published', payload, hash, reason: dto.reason,
        createdBy: actor.id ?? 0, createdAt: now, frozenAt: now, publishedAt: now,
      });
      await repo.save(snapshot);
      const outcomes = await applyOutcomes(m, actor, contestId, payload, now, before);
      await this.audit.record(m, actor, {
        action: 'results.republish',
        targetType: 'contest',
        targetId: contestId,
        before: { snapshotId: current.id, version: current.version, hash: current.hash, levelCounts: before.levelCounts },
        after: {
          snapshotId: snapshot.id, version: snapshot.version, hash, listHash: payloadListHash(payload, snapshot, !!contest.rules.showScoresPublicly), reason: dto.reason, levelCounts: payload.levelCounts, entries: outcomes,
          adjustments: inserted.map((a) => ({ id: a.id, entryId: a.entryId, level: a.level, reason: a.reason })),
        },
      });
      return { supersededVersion: current.version, ...computeSummary(snapshot, payload) };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Award lists
  // -------------------------------------------------------------------------------------------

  /**
   * The award list (see award-list.ts). The public (default) reads only from the notice on: during
   * the notice the frozen list, afterwards the published one, or `version` = an earlier published
   * (superseded) version. `forOrganizer` may also read the computed or frozen list before the
   * notice, and any version. Scores are included when the contest shows them publicly, unless
   * `withScores` says otherwise. A list read before the notice carries status 'notice' (it is the
   * list meant for the notice). Unknown contest, too early, or no such version: 404.
   */
  async awardList(contestId: number, opts: { version?: number; forOrganizer?: boolean; withScores?: boolean } = {}): Promise<AwardList> {
    const m = this.dataSource.manager;
    const contest = await m.getRepository(Contest).findOneBy({ id: contestId });
    if (!contest || (!opts.forOrganizer && !resultsArePublic(contest))) throw AppError.notFound();
    let snapshot: ResultSnapshot | null;
    if (opts.version !== undefined) {
      snapshot = await this.snapshotByVersion(m, contestId, opts.version, false);
      if (!snapshot || (!opts.forOrganizer && !snapshotIsPublic(snapshot, contest, true))) throw AppError.notFound();
    } else {
      snapshot = await this.currentSnapshot(m, contestId, false);
      if (!snapshot) throw notComputed();
      if (!opts.forOrganizer && !snapshotIsPublic(snapshot, contest, false)) throw AppError.notFound();
    }
    const withScores = opts.withScores ?? !!contest.rules.showScoresPublicly;
    const meta = {
      contest: { id: contest.id, name: contest.name, year: contest.year, theme: contest.theme },
      status: (['published', 'superseded'].includes(snapshot.status) ? 'published' : 'notice') as AwardList['status'],
      version: snapshot.version,
      hash: snapshot.hash,
      noticeEndsAt: contest.noticeEndsAt,
      publishedAt: snapshot.publishedAt,
    };
    // The lists of a snapshot never change (its hash fixes them): read the payload once per process.
    const key = `${snapshot.id}:${snapshot.hash}:${withScores}`;
    let body = this.listCache.get(key);
    if (!body) {
      const list = toAwardList(await this.payloadOf(m, snapshot.id), meta, withScores);
      // The public form shows the list hash recorded when it was frozen (a list changed in the database
      // since then no longer matches it); other forms, and lists frozen before it was recorded, their own.
      const publicForm = withScores === !!contest.rules.showScoresPublicly;
      const anchored = publicForm ? anchorOf(await loadAnchorEvents(m, contestId), snapshot.id)?.listHash : null;
      body = { levels: list.levels, excellentUnits: list.excellentUnits, listHash: anchored ?? publicListHash(list) };
      this.listCache.set(key, body);
      if (this.listCache.size > 32) this.listCache.delete(this.listCache.keys().next().value!);
    }
    return {
      contest: meta.contest,
      status: meta.status,
      version: meta.version,
      hash: meta.hash,
      listHash: body.listHash,
      noticeEndsAt: meta.noticeEndsAt ? new Date(meta.noticeEndsAt).toISOString() : null,
      publishedAt: meta.publishedAt ? new Date(meta.publishedAt).toISOString() : null,
      levels: structuredClone(body.levels),
      excellentUnits: structuredClone(body.excellentUnits),
    };
  }

  /** GET /public/contests: contests whose results are public. */
  async publicContests(q: PageQuery) {
    const { skip, take, page, pageSize } = pageWindow(q);
    const [rows, total] = await this.dataSource.getRepository(Contest).findAndCount({ where: { phase: In([...PUBLIC_RESULT_PHASES]) } /* the list filter of resultsArePublic */, order: { year: 'DESC', id: 'DESC' }, skip, take });
    return {
      items: rows.map((c) => ({ id: c.id, name: c.name, year: c.year, theme: c.theme, phase: c.phase, noticeEndsAt: c.noticeEndsAt ? new Date(c.noticeEndsAt).toISOString() : null })),
      total,
      page,
      pageSize,
    };
  }

  /** The entry ids the notice list names (any entry of the frozen/published result), for objections. */
  async noticeEntries(m: EntityManager, contestId: number): Promise<Set<number>> {
    const current = await this.currentSnapshot(m, contestId, true);
    if (!current) return new Set();
    return new Set((current.payload as ResultsPayload).entries.map((e) => e.entryId));
  }

  /** Titles of these entries (for objection lists). */
  async entryTitles(m: EntityManager, ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await m.getRepository(Entry).find({ where: { id: In(ids) }, select: { id: true, title: true } });
    return new Map(rows.map((r) => [r.id, r.title]));
  }
}

/** The entry must be judged in this result to get a level. */
function checkAdjustable(payload: ResultsPayload, entryId: number) {
  const target = payload.entries.find((e) => e.entryId === entryId);
  if (!target) {
    throw AppError.badRequest('validation_failed', undefined, [fieldError('entryId', 'not_in_results', '该成果不在本次评审结果中', 'The entry is not in these results')]);
  }
  if (target.participation !== 'judged') {
    throw AppError.conflict('entry_not_judged', { zh: '缺席或已撤回的成果不能评定等级', en: 'An absent or withdrawn entry cannot be given a level' });
  }
  return target;
}

function computeSummary(snapshot: ResultSnapshot, payload: ResultsPayload) {
  return {
    snapshot: toSnapshotResponse(snapshot),
    entryCount: payload.entries.length,
    rankedCount: payload.entries.filter((e) => e.ranked).length,
    levelCounts: payload.levelCounts,
    computedLevelCounts: payload.computedLevelCounts,
    quotas: payload.allocation.totals,
    boundaryTies: payload.boundaryTies,
    unresolvedTieCount: payload.unresolvedTieCount,
    unresolvedRankTies: payload.ranking.unresolvedTies,
    unranked: payload.unranked,
    adjustmentCount: payload.adjustments.length,
    excellentUnits: payload.excellentUnits.units.filter((u) => u.selected).map((u) => ({ place: u.place, unitId: u.unitId, unitName: u.unitName, points: u.points })),
  };
}
