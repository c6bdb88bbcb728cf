import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { Contest } from '../contests/contest.entities.js';
import { findOneOrNull, findOr404 } from '../database/row-lock.js';
import { RecommendingUnit } from '../organisations/organisation.entities.js';
import { canRecommend, RECOMMENDED_OR_LATER } from './entry-rules.js';
import type { Entry } from './entry.entities.js';
import { type EntryResponse, toEntryResponse } from './entries.dto.js';
import { ENTRIES_TEXTS as T } from './entries.errors.js';
import { EntriesRepository } from './entries.repository.js';
import { EntriesService } from './entries.service.js';
import { EntryTransitions } from './entry-transitions.service.js';

/**
 * The recommending unit's side of an entry (推荐): it recommends or declines what was submitted to
 * it, within its cap and before the recommendation deadline, while the unit is active.
 */
@Injectable()
export class EntryRecommendationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly entries: EntriesService,
    private readonly repo: EntriesRepository,
    private readonly transitions: EntryTransitions,
  ) {}

  async recommend(user: AuthUser, actor: Actor, id: number): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      const entry = await this.entries.findVisible(m, user, id, true);
      // The unit row is the lock that makes the recommendation cap hold under concurrent requests.
      // Taken before any plain read: MySQL's snapshot starts at the first one, and the count below
      // must see what the previous holder of the lock committed.
      const unit = await findOneOrNull(m, RecommendingUnit, { id: entry.unitId }, { lock: true });
      const contest = await findOr404(m, Contest, { id: entry.contestId });
      this.assertRecommendable(entry, contest);
      assertUnitActive(unit);
      const cap = contest.rules.caps.recommendedPerUnit;
      if ((await this.repo.countOfUnit(m, contest.id, entry.unitId, RECOMMENDED_OR_LATER)) >= cap) {
        throw AppError.conflict('unit_recommend_cap', T.unitRecommendCap(cap), { cap });
      }
      await this.transitions.transitionEntry(m, entry, 'recommend', actor, { phase: contest.phase });
      return toEntryResponse(entry);
    });
  }

  async decline(user: AuthUser, actor: Actor, id: number, reason: string): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      const entry = await this.entries.findVisible(m, user, id, true);
      const contest = await findOr404(m, Contest, { id: entry.contestId });
      this.assertRecommendable(entry, contest);
      assertUnitActive(await findOneOrNull(m, RecommendingUnit, { id: entry.unitId }, { select: { id: true, deactivatedAt: true } }));
      await this.transitions.transitionEntry(m, entry, 'decline', actor, { phase: contest.phase, reason: reason.trim() });
      return toEntryResponse(entry);
    });
  }

  private assertRecommendable(entry: Entry, contest: Contest): void {
    if (!canRecommend(entry.status, contest.phase)) throw AppError.conflict('entry_not_recommendable');
    // The unit's decision (recommend or decline) closes at the recommendation deadline, by the service's one clock.
    const deadline = contest.recommendationClosesAt ? new Date(contest.recommendationClosesAt) : null;
    if (deadline && this.clock.now().getTime() > deadline.getTime()) {
      throw AppError.conflict(
        'recommendation_deadline_passed',
        T.recommendationDeadlinePassed(cstText(deadline), deadline.toISOString()),
        { recommendationClosesAt: deadline.toISOString() },
      );
    }
  }
}

/** A deactivated unit decides nothing (its accounts cannot log in either; this guards the window before their next request). */
function assertUnitActive(unit: Pick<RecommendingUnit, 'deactivatedAt'> | null): void {
  if (unit?.deactivatedAt) throw AppError.conflict('unit_deactivated');
}

/** 2020-09-05 17:00, in China Standard Time. */
function cstText(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
