import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { PUBLIC_RESULT_PHASES, resultsArePublic, snapshotIsPublic } from '../access/results.access.js';
import { AppError } from '../common/errors.js';
import { pageWindow, type PageQuery } from '../common/pagination.js';
import { Contest } from '../contests/contest.entities.js';
import type { AwardList } from './award-list.js';
import { publicListHash, toAwardList, type AwardListMeta } from './award-list-builder.js';
import { anchorOf, loadAnchorEvents } from './snapshot-anchor.js';
import * as repo from './results.repository.js';
import type { ResultSnapshot } from './results.entities.js';

export type AwardListOptions = { version?: number; forOrganizer?: boolean; withScores?: boolean };

interface CachedList {
  list: AwardList;
  /** The list as the public route sends it (JSON, UTF-8). */
  bytes: Buffer;
}

/** Lists kept per instance (the few current lists, and the organizer's and earlier versions' forms). */
const CACHE_SIZE = 32;

/**
 * What anyone reads without logging in: the contests whose results are public, and award lists
 * (also the organizer's, for the exports and certificates). An award list is built once per
 * snapshot and form (from the entries with a level, not the whole snapshot) and kept in memory with
 * its JSON bytes, keyed by everything its body shows: the snapshot (id, hash, status, published
 * time), the form (scores or not) and the contest's labels. Each request reads the contest and its
 * current snapshot head (two small indexed queries, shared by concurrent requests) and serves the
 * stored bytes when the key matches, so a republication, a publication or a rename on any instance
 * shows on every instance at once (its key no longer matches). Publication and republication build
 * the new list (`warm`) in their own transaction.
 */
@Injectable()
export class PublicResultsService {
  private readonly cache = new Map<string, CachedList>();
  /** The public lists being resolved now, by contest and version. */
  private readonly inflight = new Map<string, Promise<CachedList>>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The award list (see award-list.ts). The public (default) reads only from the notice on: during
   * the notice the frozen list, afterwards the published one, or `version` = an earlier published
   * (superseded) version. `forOrganizer` may also read the computed or frozen list before the
   * notice, and any version. Scores are included when the contest shows them publicly, unless
   * `withScores` says otherwise. A list read before the notice carries status 'notice' (it is the
   * list meant for the notice). Unknown contest, too early, or no such version: 404.
   */
  async awardList(contestId: number, opts: AwardListOptions = {}): Promise<AwardList> {
    return structuredClone((await this.resolve(this.dataSource.manager, contestId, opts)).list);
  }

  /**
   * GET /public/contests/:id/results: the public list's JSON bytes (from the cache when current).
   * Requests for the same list that arrive while its contest and snapshot head are being read share
   * that read (one in flight per list): under a burst the database sees a handful of small queries,
   * and every answer still reflects a read made after the request arrived or at most one read's
   * duration before it.
   */
  async publicAwardListBytes(contestId: number, version?: number): Promise<Buffer> {
    const key = `${contestId}:${version ?? ''}`;
    let pending = this.inflight.get(key);
    if (pending === undefined) {
      pending = this.resolve(this.dataSource.manager, contestId, { version }).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return (await pending).bytes;
  }

  /** Builds the contest's current public list into the cache, from `m` (a publishing transaction). */
  async warm(m: EntityManager, contestId: number): Promise<void> {
    try {
      await this.resolve(m, contestId, {});
    } catch (e) {
      // Not public (yet): nothing to build. Anything else is the transaction's business.
      if (!(e instanceof AppError)) throw e;
    }
  }

  private async resolve(m: EntityManager, contestId: number, opts: AwardListOptions): Promise<CachedList> {
    const contest = await repo.contestById(m, contestId);
    if (!contest || (!opts.forOrganizer && !resultsArePublic(contest))) throw AppError.notFound();
    let snapshot: ResultSnapshot | null;
    if (opts.version !== undefined) {
      snapshot = await repo.snapshotByVersion(m, contestId, opts.version);
      if (!snapshot || (!opts.forOrganizer && !snapshotIsPublic(snapshot, contest, true))) throw AppError.notFound();
    } else {
      snapshot = await repo.currentSnapshot(m, contestId);
      if (!snapshot) throw AppError.notFound('results_not_computed');
      if (!opts.forOrganizer && !snapshotIsPublic(snapshot, contest, false)) throw AppError.notFound();
    }
    const withScores = opts.withScores ?? !!contest.rules.showScoresPublicly;
    const meta: AwardListMeta = {
      contest: { id: contest.id, name: contest.name, year: contest.year, theme: contest.theme },
      status: ['published', 'superseded'].includes(snapshot.status) ? 'published' : 'notice',
      version: snapshot.version,
      hash: snapshot.hash,
      noticeEndsAt: contest.noticeEndsAt,
      publishedAt: snapshot.publishedAt,
    };
    const publicForm = withScores === !!contest.rules.showScoresPublicly;
    const key = JSON.stringify([snapshot.id, meta, publicForm, withScores]);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const list = toAwardList({ entries: await repo.awardedEntries(m, snapshot.id), excellentUnits: (await repo.payloadRest(m, snapshot.id)).excellentUnits }, meta, withScores);
    // The public form shows the list hash recorded when it was frozen (a list changed in the database
    // since then no longer matches it); other forms, and lists frozen before it was recorded, their own.
    const anchored = publicForm ? anchorOf(await loadAnchorEvents(m, contestId), snapshot.id)?.listHash : null;
    list.listHash = anchored ?? publicListHash(list);
    const entry = { list, bytes: Buffer.from(JSON.stringify(list), 'utf8') };
    this.cache.set(key, entry);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return entry;
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
    const current = await repo.currentSnapshot(m, contestId);
    return current ? repo.snapshotEntryIds(m, current.id) : new Set();
  }

  /** Titles of these entries (for objection lists). */
  async entryTitles(m: EntityManager, ids: number[]): Promise<Map<number, string>> {
    return repo.entryTitles(m, ids);
  }
}
