import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { User } from '../accounts/user.entity.js';
import { AppError } from '../common/errors.js';
import { findOneOrNull } from '../database/row-lock.js';
import type { AuthUser } from './auth-user.js';

/**
 * Marks a change to an account's sessions (deactivation, reactivation, password change or reset, the
 * organisation deactivated): call it in the SAME transaction as the change, so that whoever sees the
 * new revision also sees the change. Every instance drops what it cached on its next request.
 */
export async function bumpAuthRevision(m: EntityManager): Promise<void> {
  await m.query('UPDATE auth_revision SET revision = revision + 1 WHERE id = 1');
}

interface Cached {
  /** The revision read before the row was: the row is at least this new. */
  rev: number;
  /** null: unknown or inactive account. */
  user: (AuthUser & { tokenVersion: number }) | null;
}

/** More accounts than any contest has: past this the cache starts again empty rather than grow. */
const MAX_CACHED = 20_000;

/**
 * Token → user without reading the user on every request, revocation still immediate on every
 * instance. Design (one line): each instance caches the accounts it has seen, tagged with the
 * revision of the one-row `auth_revision` counter read before them; every request reads the counter
 * (one primary-key read of one integer, shared by the requests that arrive while a read is under way),
 * and a cached account counts only while the counter has not moved past its tag.
 *
 * Why a request may share a read but never join one already sent: a read sent before the request
 * arrived may predate a revocation committed just before the request; the batch a request joins is
 * sent after it arrived, so it sees every commit made before the request. A database outage fails
 * the read, so the request is a 503 (never a 401), as before.
 */
@Injectable()
export class AuthSessions {
  private readonly cache = new Map<number, Cached>();
  /** The highest revision read so far: entries tagged below it are stale. */
  private latest = -1;
  private inFlight: Promise<number | null> | null = null;
  private nextBatch: Promise<number | null> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** The account of a verified token's payload; 401 token_invalid when unknown, inactive or revoked. */
  async userFor(sub: number, tv: number): Promise<AuthUser> {
    const rev = await this.revision();
    let hit = rev === null ? undefined : this.cache.get(sub);
    if (rev === null) {
      // No counter row (a database restored without it): nothing can be cached safely; read the account.
      hit = { rev: -1, user: await this.load(sub) };
    } else if (!hit || hit.rev < rev) {
      hit = { rev, user: await this.load(sub) };
      const now = this.cache.get(sub);
      if (!now || now.rev <= rev) {
        if (this.cache.size >= MAX_CACHED) this.cache.clear();
        this.cache.set(sub, hit);
      }
    }
    const u = hit.user;
    if (!u || u.tokenVersion !== tv) throw AppError.unauthorized('token_invalid');
    return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, unitId: u.unitId, enterpriseId: u.enterpriseId, expertId: u.expertId };
  }

  /** The counter, from a read sent after this call (see the class comment). */
  private revision(): Promise<number | null> {
    if (!this.inFlight) return this.send();
    this.nextBatch ??= this.inFlight.then(
      () => this.sendNext(),
      () => this.sendNext(),
    );
    return this.nextBatch;
  }

  private sendNext(): Promise<number | null> {
    this.nextBatch = null;
    return this.send();
  }

  private send(): Promise<number | null> {
    const read = this.dataSource.query<{ revision: number | string }[]>('SELECT revision FROM auth_revision WHERE id = 1').then((rows) => {
      if (!rows.length) return null;
      const rev = Number(rows[0].revision);
      if (rev > this.latest) {
        // Entries tagged below it can never be used again: free them.
        if (this.latest >= 0) this.cache.clear();
        this.latest = rev;
      }
      return rev;
    });
    const done = () => {
      if (this.inFlight === tracked) this.inFlight = null;
    };
    const tracked: Promise<number | null> = read.finally(done);
    this.inFlight = tracked;
    return tracked;
  }

  private async load(id: number): Promise<Cached['user']> {
    const user = await findOneOrNull(this.dataSource.manager, User, { id }, {
      select: { id: true, username: true, displayName: true, role: true, active: true, tokenVersion: true, unitId: true, enterpriseId: true, expertId: true },
    });
    return user && user.active ? user : null;
  }
}
