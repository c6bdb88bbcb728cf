import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError, wrongPhase } from '../common/errors.js';
import { pageWindow } from '../common/pagination.js';
import { payloadListHash } from './award-list-builder.js';
import { checkAdjustable, computePayload, computeSummary, contestOr404, lockContest, wholeSeconds } from './results-computing.js';
import { loadAdjustments, loadResultsFacts, toAdjustmentFact, verifySnapshot, type Verification } from './results-data.js';
import { formatPoints, PAYLOAD_FORMAT, panelQuality, sheetExperts } from './results-payload.js';
import { sheetCount } from '../judging/results.js';
import { ResultsPublicationService } from './results-publication.service.js';
import * as repo from './results.repository.js';
import { ResultSnapshot } from './results.entities.js';
import { toResultsView, type AdjustmentDto, type ComputeResultsDto, type ResultsQuery } from './results.dto.js';

/**
 * The organizer's results work in the finalizing phase: computation from the raw sheets with
 * explanations, adjustments, freezing for the notice (公示), the ranking view, the panel quality
 * report and the recompute check. Publication and corrections: ResultsPublicationService; the
 * award lists: PublicResultsService.
 */
@Injectable()
export class ResultsComputationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly publication: ResultsPublicationService,
    private readonly clock: Clock,
  ) {}

  /** POST /contests/:id/results/compute */
  async compute(actor: Actor, contestId: number, dto: ComputeResultsDto) {
    return this.dataSource.transaction(async (m) => {
      const contest = await lockContest(m, contestId);
      if (contest.phase !== 'finalizing') throw wrongPhase(contest.phase, 'finalizing');
      const current = await repo.currentSnapshot(m, contestId);
      if (current && current.status !== 'computed') throw AppError.conflict('results_frozen');
      const tieBreakOrder = dto.tieBreakOrder ?? (current ? await repo.storedTieBreakOrder(m, current.id) : []);
      // A contest's first snapshot in the current format; a recomputation keeps its snapshot's (see PAYLOAD_FORMAT).
      const format = current ? await repo.storedFormat(m, current.id) : PAYLOAD_FORMAT;
      const { payload, hash } = await computePayload(m, contest, tieBreakOrder, await loadAdjustments(m, contestId), format);
      const now = wholeSeconds(this.clock.now());
      const fields = { hash, reason: dto.reason ?? null, createdBy: actor.id ?? 0, createdAt: now };
      const snapshot = current
        ? Object.assign(current, fields)
        : m.getRepository(ResultSnapshot).create({ contestId, version: await repo.nextVersion(m, contestId), status: 'computed', ...fields, frozenAt: null, publishedAt: null });
      await repo.storePayload(m, snapshot, payload, !current);
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

  /** GET /contests/:id/results (organizer): the snapshot's summary and one page of its ranking, read page by page. */
  async view(contestId: number, q: ResultsQuery) {
    const m = this.dataSource.manager;
    const contest = await contestOr404(m, contestId);
    const snapshot = q.version !== undefined ? await repo.snapshotByVersion(m, contestId, q.version) : await repo.currentSnapshot(m, contestId);
    if (!snapshot) throw q.version !== undefined ? AppError.notFound() : AppError.notFound('results_not_computed');
    const window = pageWindow(q);
    const [rest, page, total] = [await repo.payloadRest(m, snapshot.id), await repo.entryPage(m, snapshot.id, window.skip, window.take), await repo.entryCount(m, snapshot.id)];
    const titled = [...new Set([...rest.adjustments.map((a) => a.entryId), ...rest.unranked.map((u) => u.entryId)])];
    const titles = new Map([...(await repo.snapshotEntriesById(m, snapshot.id, titled)).values()].map((e) => [e.entryId, e.title]));
    const expertIds = [...new Set(page.flatMap((e) => [...(e.stages.material?.marks ?? []), ...(e.stages.presentation?.marks ?? [])].map((x) => x.expertId)))];
    return toResultsView({ id: contest.id, name: contest.name, phase: contest.phase }, snapshot, rest, { entries: page, total, titles }, window, await repo.expertNames(m, expertIds));
  }

  /**
   * POST /contests/:id/results/adjustments. In finalizing: recorded and applied to the computed
   * result (recomputed from the sheets). After publication: a correction, i.e. a new published
   * version with this adjustment and its reason.
   */
  async adjust(actor: Actor, contestId: number, dto: AdjustmentDto) {
    const phase = (await contestOr404(this.dataSource.manager, contestId)).phase;
    if (phase === 'published') return this.publication.republish(actor, contestId, { reason: dto.reason, adjustments: [dto] });
    return this.dataSource.transaction(async (m) => {
      const contest = await lockContest(m, contestId);
      if (contest.phase === 'published') throw AppError.conflict('phase_changed_concurrently');
      if (contest.phase !== 'finalizing') throw wrongPhase(contest.phase, 'finalizing');
      const current = await repo.currentSnapshot(m, contestId);
      if (!current) throw AppError.conflict('results_not_computed');
      if (current.status !== 'computed') throw AppError.conflict('results_frozen');
      const target = checkAdjustable((await repo.snapshotEntriesById(m, current.id, [dto.entryId])).get(dto.entryId));
      const previousHash = current.hash;
      const adjustment = await repo.insertAdjustment(m, { contestId, entryId: dto.entryId, level: dto.level, reason: dto.reason, createdBy: actor.id ?? 0, createdAt: wholeSeconds(this.clock.now()) });
      const { payload, hash } = await computePayload(m, contest, await repo.storedTieBreakOrder(m, current.id), await loadAdjustments(m, contestId), await repo.storedFormat(m, current.id));
      current.hash = hash;
      await repo.storePayload(m, current, payload, false);
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

  /** POST /contests/:id/results/freeze: the computed result becomes the notice list, fixed by its hash. */
  async freeze(actor: Actor, contestId: number) {
    return this.dataSource.transaction(async (m) => {
      const contest = await lockContest(m, contestId);
      if (contest.phase !== 'finalizing') throw wrongPhase(contest.phase, 'finalizing');
      // Without its payload: the stored hash and the recorded tie-break order are all that is needed.
      const current = await repo.currentSnapshot(m, contestId);
      if (!current) throw AppError.conflict('results_not_computed');
      if (current.status !== 'computed') throw AppError.conflict('results_frozen');
      // What is frozen must still be what the sheets say (a sheet may have been reopened since).
      const { payload, hash } = await computePayload(m, contest, await repo.storedTieBreakOrder(m, current.id), await loadAdjustments(m, contestId), await repo.storedFormat(m, current.id));
      if (hash !== current.hash) throw AppError.conflict('results_outdated', undefined, { storedHash: current.hash, recomputedHash: hash });
      if (payload.unresolvedTieCount > 0) {
        throw AppError.conflict('ties_unresolved', undefined, { count: payload.unresolvedTieCount, boundaryTies: payload.boundaryTies.filter((t) => t.needsOrganizerDecision && !t.settledByAdjustment) });
      }
      const now = wholeSeconds(this.clock.now());
      await repo.updateSnapshotStatus(m, current.id, 'computed', { status: 'frozen', frozenAt: now });
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
    const contest = await contestOr404(m, contestId);
    const { facts } = await loadResultsFacts(m, contest);
    const report = panelQuality(facts);
    const titles = new Map(facts.entries.map((e) => [e.entryId, e.title]));
    const panelNames = new Map(facts.entries.filter((e) => e.panelId !== null).map((e) => [`panel:${e.panelId}`, e.panelName]));
    const trackNames = new Map(facts.entries.map((e) => [`track:${e.trackId ?? 0}`, e.trackName]));
    const experts = await repo.expertNames(m, [...new Set(sheetExperts(facts.sheets))]);
    const round = (x: number) => Math.round(x * 10000) / 10000;
    return {
      contest: { id: contest.id, name: contest.name, phase: contest.phase },
      sheetCount: sheetCount(facts.sheets),
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
      const contest = await contestOr404(m, contestId);
      const snapshot = version !== undefined ? await repo.snapshotByVersion(m, contestId, version) : await repo.currentSnapshot(m, contestId);
      if (!snapshot) throw version !== undefined ? AppError.notFound() : AppError.notFound('results_not_computed');
      return verifySnapshot(m, contest, snapshot);
    });
  }
}
