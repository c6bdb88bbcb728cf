import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { isDuplicateKey } from '../database/db-errors.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, fieldError, wrongPhase } from '../common/errors.js';
import { pageWindow } from '../common/pagination.js';
import type { ChecklistItem } from '../contests/contest-rules.js';
import { Contest, Track } from '../contests/contest.entities.js';
import { ContestsService } from '../contests/contests.service.js';
import { AccessService } from '../access/access.service.js';
import { seesReviewDetail } from '../access/entry.access.js';
import { Entry, submittedEntryType } from '../entries/entry.entities.js';
import { nowSeconds, writeLock } from '../database/write-lock.js';
import { findOr404 } from '../database/row-lock.js';
import { EntryTransitions } from '../entries/entry-transitions.service.js';
import type { EntryAction } from '../entries/entry-status-rules.js';
import type { ContestPhase } from '../judging/contest-phase.js';
import { Enterprise, RecommendingUnit } from '../organisations/organisation.entities.js';
import {
  allOk, AWAITING_REVIEW, checkDecision, notAwaitingReason, REVIEWED_OR_AWAITING, reviewState, timelineReason, type ReviewState,
} from './review-rules.js';
import { ReviewDecision, type ChecklistResult, type ReviewDecisionKind } from './review.entities.js';
import {
  type BulkPassDto, type BulkPassResponse, type CloseReviewDto, type DecideDto, type DecisionOutcomeResponse, type EntryReviewResponse,
  type ReviewClosureResponse, type ReviewCounts, type ReviewQueueQuery, type ReviewQueueResponse, type ReviewStatsResponse,
  toReviewDecisionResponse,
} from './review.dto.js';
import { Clock } from '../common/clock.js';


/** Default timeline reason of a pass without the organizer's own words. */
const PASS_REASON = '材料初审通过（检查项全部合格）';

/** The entry action of each decision (entry-status-rules.ts); closing review rejects with `close_reject`. */
const DECISION_ACTION: Record<ReviewDecisionKind, EntryAction> = { pass: 'pass', return: 'return', reject: 'reject' };


const zero = (): ReviewCounts => ({ awaiting: 0, passed: 0, returned: 0, rejected: 0, total: 0 });

/**
 * 材料初审: the organizer passes, returns (for revision, item by item) or rejects each recommended
 * entry; a returned entry comes back resubmitted in the next round. Each decision is a
 * ReviewDecision row, an entry transition (EntryEvent + audit) and an audit row of its own, in one
 * transaction; the unique (entry, round) index turns a concurrent second decision into a 409.
 */
@Injectable()
export class ReviewService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly contests: ContestsService,
    private readonly transitions: EntryTransitions,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  /** Review → presentation needs every awaiting entry decided, and no entry left returned unless review was closed. */
  onModuleInit(): void {
    this.contests.registerFactsProvider(async (m, contest, to, facts) => {
      if (to !== 'presentation') return;
      facts.undecidedReviewCount = await m.getRepository(Entry).countBy({ contestId: contest.id, status: In([...AWAITING_REVIEW]) });
      const returned = await m.getRepository(Entry).countBy({ contestId: contest.id, status: 'returned' });
      facts.reviewClosedWithOutcome = returned === 0 || contest.reviewClosedAt !== null;
    });
  }

  // ---------------------------------------------------------------- helpers

  private async contestOf(m: EntityManager, contestId: number, lock = false): Promise<Contest> {
    return findOr404(m, Contest, { id: contestId }, { lock });
  }

  private checklistOf(contest: Contest): ChecklistItem[] {
    return contest.rules.reviewChecklist ?? [];
  }

  /** Decisions are taken while the contest is in review and review has not been closed. */
  private assertDeciding(contest: Contest): void {
    if (contest.phase !== 'review') throw wrongPhase(contest.phase, 'review');
    if (contest.reviewClosedAt) throw AppError.conflict('review_closed');
  }

  /** Number of decisions so far per entry: the next round of each is that + 1. */
  private async decisionCounts(m: EntityManager, entryIds: number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (!entryIds.length) return out;
    const rows: { entryId: number | string; n: number | string }[] = await m
      .getRepository(ReviewDecision)
      .createQueryBuilder('d')
      .select('d.entryId', 'entryId')
      .addSelect('COUNT(*)', 'n')
      .where('d.entryId IN (:...ids)', { ids: entryIds })
      .groupBy('d.entryId')
      .getRawMany<{ entryId: number | string; n: number | string }>();
    for (const r of rows) out.set(Number(r.entryId), Number(r.n));
    return out;
  }

  /** Records one decision: the decision row, the entry's transition (EntryEvent + audit). */
  private async record(
    m: EntityManager,
    actor: Actor,
    entry: Entry,
    round: number,
    decision: ReviewDecisionKind,
    checklist: ChecklistResult[],
    reason: string | null,
    timeline: string | null,
    action: EntryAction,
    phase: ContestPhase,
  ): Promise<ReviewDecision> {
    const now = nowSeconds(this.clock);
    const row = m.getRepository(ReviewDecision).create({
      contestId: entry.contestId,
      entryId: entry.id,
      round,
      decision,
      checklist,
      reason,
      decidedBy: actor.id as number,
      createdAt: now,
    });
    await m.getRepository(ReviewDecision).save(row);
    await this.transitions.transitionEntry(m, entry, action, actor, { phase, reason: timeline, now });
    return row;
  }

  /** Runs a write; a duplicate (entry, round) from a concurrent decision becomes 409 `already_decided`. */
  private async guarded<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (e) {
      if (isDuplicateKey(e)) throw AppError.conflict('already_decided');
      throw e;
    }
  }

  /** Names of units, enterprises or tracks by id. */
  private async names(m: EntityManager, target: typeof Enterprise | typeof RecommendingUnit | typeof Track, ids: (number | null)[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids.filter((x): x is number => x !== null))];
    if (!unique.length) return new Map();
    const rows = await m.getRepository<{ id: number; name: string }>(target).find({ where: { id: In(unique) }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  // ---------------------------------------------------------------- use cases

  /** Entries awaiting a decision, oldest (re)submission first, with their earlier decisions. */
  async queue(contestId: number, q: ReviewQueueQuery): Promise<ReviewQueueResponse> {
    const m = this.dataSource.manager;
    const contest = await this.contestOf(m, contestId);
    const checklist = this.checklistOf(contest);
    const { skip, take, page, pageSize } = pageWindow(q);
    const where: Record<string, unknown> = { contestId, status: In([...AWAITING_REVIEW]) };
    if (q.unitId !== undefined) where.unitId = q.unitId;
    if (q.trackId !== undefined) where.trackId = q.trackId;
    const [rows, total] = await m.getRepository(Entry).findAndCount({ where, order: { submittedAt: 'ASC', id: 'ASC' }, skip, take });
    const ids = rows.map((e) => e.id);
    const decisions = ids.length ? await m.getRepository(ReviewDecision).find({ where: { entryId: In(ids) }, order: { round: 'ASC' } }) : [];
    const enterprises = await this.names(m, Enterprise, rows.map((e) => e.enterpriseId));
    const units = await this.names(m, RecommendingUnit, rows.map((e) => e.unitId));
    const tracks = await this.names(m, Track, rows.map((e) => e.trackId));
    const items = rows.map((e) => {
      const history = decisions.filter((d) => d.entryId === e.id).map((d) => toReviewDecisionResponse(d, checklist, true));
      return {
        entryId: e.id,
        title: e.title,
        entryType: submittedEntryType(e),
        status: e.status,
        enterpriseId: e.enterpriseId,
        enterpriseName: enterprises.get(e.enterpriseId) ?? null,
        unitId: e.unitId,
        unitName: units.get(e.unitId) ?? null,
        trackId: e.trackId ?? null,
        trackName: e.trackId === null ? null : (tracks.get(e.trackId) ?? null),
        submittedAt: e.submittedAt ? new Date(e.submittedAt).toISOString() : null,
        round: history.length + 1,
        history,
      };
    });
    return { items, total, page, pageSize, checklist };
  }

  /** One decision on one entry of the contest. */
  async decide(actor: Actor, contestId: number, entryId: number, dto: DecideDto): Promise<DecisionOutcomeResponse> {
    return this.guarded(async (m) => {
      const contest = await this.contestOf(m, contestId);
      const entry = await findOr404(m, Entry, { id: entryId, contestId }, { lock: true, code: 'entry_not_in_contest' });
      const checklist = this.checklistOf(contest);
      const check = checkDecision(checklist, { decision: dto.decision, checklist: dto.checklist, reason: dto.reason });
      if (!check.ok) throw AppError.badRequest('validation_failed', undefined, check.problems.map((p) => fieldError(p.field, p.code, p)));
      this.assertDeciding(contest);
      const refusal = notAwaitingReason(entry.status);
      if (refusal) throw AppError.conflict(refusal, undefined, { status: entry.status });

      const round = ((await this.decisionCounts(m, [entry.id])).get(entry.id) ?? 0) + 1;
      const reason = dto.reason?.trim() || null;
      const timeline = timelineReason(checklist, dto.decision, check.results, reason) ?? (dto.decision === 'pass' ? PASS_REASON : null);
      const row = await this.record(m, actor, entry, round, dto.decision, check.results, reason, timeline, DECISION_ACTION[dto.decision], contest.phase);
      const out = toReviewDecisionResponse(row, checklist, true);
      await this.audit.record(m, actor, { action: 'review.decision', targetType: 'review_decision', targetId: row.id, after: out });
      return { decision: out, entryStatus: entry.status, entryVersion: entry.version };
    });
  }

  /** Passes every listed entry with an all-ok checklist, or none of them. */
  async bulkPass(actor: Actor, contestId: number, dto: BulkPassDto): Promise<BulkPassResponse> {
    return this.guarded(async (m) => {
      const contest = await this.contestOf(m, contestId);
      this.assertDeciding(contest);
      const found = await m.getRepository(Entry).find({ where: { id: In(dto.entryIds) }, order: { id: 'ASC' }, lock: writeLock(m) });
      const byId = new Map(found.map((e) => [e.id, e]));
      const refused: { entryId: number; code: string; status: string | null }[] = [];
      for (const id of dto.entryIds) {
        const e = byId.get(id);
        if (!e || e.contestId !== contestId) refused.push({ entryId: id, code: 'entry_not_in_contest', status: null });
        else {
          const why = notAwaitingReason(e.status);
          if (why) refused.push({ entryId: id, code: why, status: e.status });
        }
      }
      if (refused.length) throw AppError.conflict('entries_not_awaiting', undefined, { entries: refused });

      const checklist = this.checklistOf(contest);
      const counts = await this.decisionCounts(m, dto.entryIds);
      const rows: ReviewDecision[] = [];
      for (const id of dto.entryIds) {
        const entry = byId.get(id)!;
        rows.push(await this.record(m, actor, entry, (counts.get(id) ?? 0) + 1, 'pass', allOk(checklist), null, PASS_REASON, 'pass', contest.phase));
      }
      const decisions = rows.map((r) => toReviewDecisionResponse(r, checklist, true));
      await this.audit.record(m, actor, {
        action: 'review.bulk_pass',
        targetType: 'contest',
        targetId: contestId,
        after: { entryIds: dto.entryIds, decisionIds: rows.map((r) => r.id) },
      });
      return { passed: rows.length, decisions };
    });
  }

  /** Counts by review state, per recommending unit and per track. */
  async stats(contestId: number): Promise<ReviewStatsResponse> {
    const m = this.dataSource.manager;
    const contest = await this.contestOf(m, contestId);
    const rows: { unitId: number | string; trackId: number | string | null; status: Entry['status']; n: number | string }[] = await m
      .getRepository(Entry)
      .createQueryBuilder('e')
      .select('e.unitId', 'unitId')
      .addSelect('e.trackId', 'trackId')
      .addSelect('e.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where('e.contestId = :contestId', { contestId })
      .andWhere('e.status IN (:...statuses)', { statuses: [...REVIEWED_OR_AWAITING] })
      .groupBy('e.unitId')
      .addGroupBy('e.trackId')
      .addGroupBy('e.status')
      .getRawMany();
    const totals = zero();
    const byUnit = new Map<number, ReviewCounts>();
    const byTrack = new Map<number | null, ReviewCounts>();
    const add = (c: ReviewCounts, state: ReviewState, n: number) => {
      c[state] += n;
      c.total += n;
    };
    for (const r of rows) {
      const state = reviewState(r.status);
      if (!state) continue;
      const n = Number(r.n);
      const unitId = Number(r.unitId);
      const trackId = r.trackId === null ? null : Number(r.trackId);
      if (!byUnit.has(unitId)) byUnit.set(unitId, zero());
      if (!byTrack.has(trackId)) byTrack.set(trackId, zero());
      add(totals, state, n);
      add(byUnit.get(unitId)!, state, n);
      add(byTrack.get(trackId)!, state, n);
    }
    const units = await this.names(m, RecommendingUnit, [...byUnit.keys()]);
    const tracks = await this.names(m, Track, [...byTrack.keys()]);
    return {
      contestId,
      totals,
      byUnit: [...byUnit.entries()].sort(([a], [b]) => a - b).map(([unitId, c]) => ({ unitId, unitName: units.get(unitId) ?? null, ...c })),
      // Tracks in id order, entries not yet placed last.
      byTrack: [...byTrack.entries()]
        .sort(([a], [b]) => (a ?? Number.MAX_SAFE_INTEGER) - (b ?? Number.MAX_SAFE_INTEGER))
        .map(([trackId, c]) => ({ trackId, trackName: trackId === null ? null : (tracks.get(trackId) ?? null), ...c })),
      reviewClosedAt: contest.reviewClosedAt ? new Date(contest.reviewClosedAt).toISOString() : null,
      reviewClosureNote: contest.reviewClosureNote ?? null,
    };
  }

  /**
   * Finishes review with entries still awaiting a decision or returned: each is rejected with the
   * note (a decision of its next round, EntryEvent, audit), and the contest records the closure.
   * May be repeated to sweep up entries recommended after an earlier closure.
   */
  async close(actor: Actor, contestId: number, dto: CloseReviewDto): Promise<ReviewClosureResponse> {
    return this.guarded(async (m) => {
      // The contest row lock orders closures of the same contest.
      const contest = await this.contestOf(m, contestId, true);
      if (contest.phase !== 'review') throw wrongPhase(contest.phase, 'review');
      const note = dto.note.trim();
      const open = await m.getRepository(Entry).find({
        where: { contestId, status: In([...AWAITING_REVIEW, 'returned']) },
        order: { id: 'ASC' },
        lock: writeLock(m),
      });
      const counts = await this.decisionCounts(m, open.map((e) => e.id));
      for (const entry of open) {
        await this.record(m, actor, entry, (counts.get(entry.id) ?? 0) + 1, 'reject', [], note, note, 'close_reject', contest.phase);
      }
      const before = { reviewClosedAt: contest.reviewClosedAt ? new Date(contest.reviewClosedAt).toISOString() : null, reviewClosureNote: contest.reviewClosureNote ?? null };
      const now = nowSeconds(this.clock);
      await m.getRepository(Contest).update({ id: contestId }, { reviewClosedAt: now, reviewClosureNote: note, updatedAt: now });
      const out = { contestId, reviewClosedAt: now.toISOString(), reviewClosureNote: note, rejectedEntryIds: open.map((e) => e.id) };
      await this.audit.record(m, actor, { action: 'review.close', targetType: 'contest', targetId: contestId, before, after: { outcome: dto.outcome, ...out } });
      return out;
    });
  }

  /** The decisions on one entry, for its enterprise, its unit's recommender and organizers (404 for anyone else). */
  async entryReview(user: AuthUser, entryId: number): Promise<EntryReviewResponse> {
    const m = this.dataSource.manager;
    await this.access.requireAccess(user, 'review.read', [entryId], m);
    const entry = await findOr404(m, Entry, { id: entryId });
    const contest = await this.contestOf(m, entry.contestId);
    const checklist = this.checklistOf(contest);
    const decisions = await m.getRepository(ReviewDecision).find({ where: { entryId }, order: { round: 'ASC' } });
    const awaiting = AWAITING_REVIEW.includes(entry.status);
    return {
      entryId,
      contestId: entry.contestId,
      status: entry.status,
      awaitingDecision: awaiting,
      currentRound: decisions.length + (awaiting ? 1 : 0),
      checklist,
      decisions: decisions.map((d) => toReviewDecisionResponse(d, checklist, seesReviewDetail(user))),
    };
  }
}
