// requireAccess(user, permission, ids): the one call at the top of each use case that decides
// whether the caller may act on these objects, backed by AccessRepository's batched queries.
// Refusals keep the errors the routes always gave: 404 where the object's existence is hidden,
// 403 where the caller may know it exists but may not act on it.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors.js';
import { AccessRepository } from './access.repository.js';
import type { Permission } from './permission.js';
import { canSeeEntry, type VisibleFacts } from './entry.access.js';
import { decidesRegistrations } from './organisation.access.js';
import { canRunDisplay } from './session.access.js';
import { canFollowProgress, canGetUnitCertificate } from './results.access.js';
import { canManageReport } from './report.access.js';
import { canManageOutbox } from './notification.access.js';

/** The ids the caller may act on, and for the others whether to answer 403 (known) or 404 (hidden). */
interface Decision {
  allowed: Set<number>;
  /** Ids the caller may know exist but may not act on (403); every other refused id is 404. */
  known?: Set<number>;
}

const all = (ids: readonly number[]): Decision => ({ allowed: new Set(ids) });
const none = (known?: readonly number[]): Decision => ({ allowed: new Set(), known: new Set(known) });

@Injectable()
export class AccessService {
  constructor(private readonly repo: AccessRepository) {}

  /** Throws (404 or 403, as each route always did) unless the caller may act on every id. `m`: the use case's transaction, if any. */
  async requireAccess(user: AuthUser, permission: Permission, ids: readonly number[], m?: EntityManager): Promise<void> {
    const d = await this.decide(user, permission, ids, m);
    for (const id of ids) {
      if (d.allowed.has(id)) continue;
      throw d.known?.has(id) ? AppError.forbidden() : AppError.notFound();
    }
  }

  /**
   * entry.read for a row the use case already holds locked (a write): decided in memory by the same
   * rule (canSeeEntry), because a plain read here would start MySQL's transaction snapshot before the
   * use case takes its next lock (the unit row of the recommendation cap), hiding what the previous
   * holder committed. Experts never write entries, so the SQL-only expert part is not needed (404).
   */
  requireLockedEntry(user: AuthUser, entry: VisibleFacts): void {
    if (!canSeeEntry(user, entry)) throw AppError.notFound();
  }

  /** The ids among `ids` the caller may act on (for filtering, where refusing is not wanted). */
  async checkAccess(user: AuthUser, permission: Permission, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return (await this.decide(user, permission, ids, m)).allowed;
  }

  private async decide(user: AuthUser, permission: Permission, ids: readonly number[], m?: EntityManager): Promise<Decision> {
    switch (permission) {
      case 'entry.read':
        return { allowed: await this.repo.entries(user, ids, m) };
      case 'review.read':
        return user.role === 'expert' ? none() : { allowed: await this.repo.entries(user, ids, m) };
      case 'entry.schedule':
        return { allowed: await this.repo.ownEntries(user, ids, m) };
      case 'entry.declare_conflict':
        // An expert account without an expert record: 403, as for every expert route.
        return user.role === 'expert' && user.expertId !== null ? { allowed: await this.repo.panelEntries(user.expertId, ids, m) } : none(ids);
      case 'attachment.read':
        return { allowed: await this.repo.attachments(user, ids, m) };
      case 'unit.read':
        return { allowed: await this.repo.units(user, ids, m) };
      case 'enterprise.read':
        return { allowed: await this.repo.enterprises(user, ids, m) };
      case 'enterprise.decide': {
        // Seen but not decided (an enterprise itself, were the route to let it through) is 403; unseen 404.
        const seen = await this.repo.enterprises(user, ids, m);
        return decidesRegistrations(user) ? { allowed: seen } : none([...seen]);
      }
      case 'expert.read':
      case 'expert.profile':
        return { allowed: await this.repo.experts(user, ids, m) };
      case 'entry.topics':
        return { allowed: await this.repo.ownEntries(user, ids, m) };
      case 'session.read':
        return { allowed: await this.repo.sessions(user, ids, m) };
      case 'contest.progress':
        return canFollowProgress(user) ? all(ids) : none(ids);
      case 'session.display':
        return canRunDisplay(user) ? all(ids) : none(ids);
      case 'unit.certificate':
        // The excellent units are on the public list: another unit's certificate is 403, not 404.
        return { allowed: new Set(ids.filter((id) => canGetUnitCertificate(user, id))), known: new Set(ids) };
      case 'contest.report':
        return canManageReport(user) ? all(ids) : none(ids);
      case 'notification.own':
        return { allowed: await this.repo.ownNotifications(user, ids, m) };
      case 'outbox.manage':
        // Another role may not know whether a message exists: 404 (the route's role guard answers 403 before).
        return canManageOutbox(user) ? all(ids) : none();
    }
  }
}
