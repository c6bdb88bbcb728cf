import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError, wrongPhase } from '../common/errors.js';
import { ContestsService } from '../contests/contests.service.js';
import { Objection, ResultSnapshot, type ResultAdjustment } from './results.entities.js';
import { payloadListHash } from './award-list-builder.js';
import { applyOutcomes } from './entry-outcomes.js';
import { checkAdjustable, computePayload, computeSummary, lockContest, wholeSeconds } from './results-computing.js';
import { loadAdjustments } from './results-data.js';
import { payloadFormat } from './results-payload.js';
import * as repo from './results.repository.js';
import { PublicResultsService } from './public-results.service.js';
import type { RepublishDto } from './results.dto.js';

/**
 * Publication: the phase machine's facts about the results (frozen? ties? open objections?), the
 * `published` hook that publishes the frozen notice list and moves each entry to awarded /
 * not_awarded, and later corrections as new published versions (republish). Each publication
 * builds the public award list's cache (PublicResultsService.warm) from its own transaction.
 */
@Injectable()
export class ResultsPublicationService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly contests: ContestsService,
    private readonly publicResults: PublicResultsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.contests.registerFactsProvider(async (m, contest, to, facts) => {
      if (to === 'notice') {
        const current = await repo.currentSnapshot(m, contest.id);
        facts.resultsFrozen = current?.status === 'frozen';
        // Freezing refuses unresolved ties, so only a computed (unfrozen) result can still have some.
        facts.unresolvedTieCount = current?.status === 'computed' ? ((await repo.payloadRest(m, current.id)).unresolvedTieCount ?? 0) : 0;
      }
      if (to === 'published') {
        facts.openObjectionCount = await m.getRepository(Objection).countBy({ contestId: contest.id, status: 'open' });
      }
    });
    this.contests.registerPhaseHook(async (m, contest, _from, to, actor) => {
      if (to !== 'published') return;
      // Publication freezes the notice list for good: the same snapshot, now `published`.
      const current = await repo.currentSnapshot(m, contest.id);
      if (!current || current.status !== 'frozen') throw AppError.conflict('results_not_frozen');
      const now = wholeSeconds(this.clock.now());
      await repo.updateSnapshotStatus(m, current.id, 'frozen', { status: 'published', publishedAt: now });
      const rest = await repo.payloadRest(m, current.id);
      const outcomes = await applyOutcomes(m, actor, contest.id, await repo.entryLevels(m, current.id), now);
      const listHash = payloadListHash({ entries: await repo.awardedEntries(m, current.id), excellentUnits: rest.excellentUnits }, current, !!contest.rules.showScoresPublicly);
      await this.audit.record(m, actor, {
        action: 'results.publish',
        targetType: 'contest',
        targetId: contest.id,
        before: { snapshotId: current.id, version: current.version, status: 'frozen' },
        after: { snapshotId: current.id, version: current.version, status: 'published', hash: current.hash, listHash, publishedAt: now.toISOString(), entries: outcomes },
      });
      await this.publicResults.warm(m, contest.id);
    });
  }

  /** POST /contests/:id/results/republish: a new published version with a reason; the old one is superseded. */
  async republish(actor: Actor, contestId: number, dto: RepublishDto) {
    return this.dataSource.transaction(async (m) => {
      const contest = await lockContest(m, contestId);
      if (contest.phase !== 'published') throw wrongPhase(contest.phase, 'published');
      const current = await repo.currentSnapshot(m, contestId);
      if (!current || current.status !== 'published') throw AppError.conflict('results_not_published');
      const before = await repo.payloadRest(m, current.id);
      const adjusted = await repo.snapshotEntriesById(m, current.id, (dto.adjustments ?? []).map((a) => a.entryId));
      const inserted: ResultAdjustment[] = [];
      for (const a of dto.adjustments ?? []) {
        checkAdjustable(adjusted.get(a.entryId));
        inserted.push(await repo.insertAdjustment(m, { contestId, entryId: a.entryId, level: a.level, reason: a.reason, createdBy: actor.id ?? 0, createdAt: wholeSeconds(this.clock.now()) }));
      }
      const { payload, hash } = await computePayload(m, contest, before.tieBreakOrder ?? [], await loadAdjustments(m, contestId), payloadFormat(before));
      if (hash === current.hash) throw AppError.conflict('results_unchanged');
      const now = wholeSeconds(this.clock.now());
      const previousLevels = await repo.entryLevels(m, current.id);
      await repo.updateSnapshotStatus(m, current.id, 'published', { status: 'superseded' });
      const snapshot = m.getRepository(ResultSnapshot).create({
        contestId, version: await repo.nextVersion(m, contestId), status: 'published', hash, reason: dto.reason,
        createdBy: actor.id ?? 0, createdAt: now, frozenAt: now, publishedAt: now,
      });
      await repo.storePayload(m, snapshot, payload, true);
      const outcomes = await applyOutcomes(m, actor, contestId, new Map(payload.entries.map((e) => [e.entryId, e.level])), now, previousLevels);
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
      await this.publicResults.warm(m, contestId);
      return { supersededVersion: current.version, ...computeSummary(snapshot, payload) };
    });
  }
}
