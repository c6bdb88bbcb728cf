import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { User } from '../accounts/user.entity.js';
import type { AuthUser } from '../auth/auth-user.js';
import { entryVisibility } from '../access/entry.access.js';
import { Contest, Track } from '../contests/contest.entities.js';
import { containsPattern } from '../database/like.js';
import { existsByColumns } from '../database/row-lock.js';
import { Enterprise, RecommendingUnit } from '../organisations/organisation.entities.js';
import { Attachment, ENTRY_STATUSES, Entry, EntryEvent, type EntryStatus } from './entry.entities.js';
import type { ListEntriesQuery } from './entries.dto.js';
import { placeholders, rows } from '../scoring/sql.js';

/** One row of the per-status count (COUNT(*) comes back as a string from MySQL, a number from SQLite). */
interface StatusCountRow {
  status: EntryStatus;
  n: string | number;
}

/** The names an entry list shows beside each entry. */
export interface EntryNames {
  contests: Map<number, string>;
  enterprises: Map<number, string>;
  units: Map<number, string>;
  tracks: Map<number, string>;
}

const SORT_COLUMNS = { createdAt: 'e.createdAt', title: 'e.title', status: 'e.status' } as const;

/** The entries' queries: the filtered list, names, counts, the timeline, what submission needs. */
@Injectable()
export class EntriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of the entries `user` may see (src/access/entry.access.ts), filtered and sorted; null when it may see none. */
  async page(user: AuthUser, q: ListEntriesQuery, skip: number, take: number): Promise<[Entry[], number] | null> {
    const qb = this.dataSource.getRepository(Entry).createQueryBuilder('e');
    if (!entryVisibility(qb, user)) return null;
    if (q.contestId !== undefined) qb.andWhere('e.contestId = :contestId', { contestId: q.contestId });
    if (q.status) qb.andWhere('e.status = :status', { status: q.status });
    if (q.entryType) qb.andWhere('e.entryType = :entryType', { entryType: q.entryType });
    if (q.trackId !== undefined) qb.andWhere('e.trackId = :trackId', { trackId: q.trackId });
    if (q.unitId !== undefined) qb.andWhere('e.unitId = :unitId', { unitId: q.unitId });
    if (q.enterpriseId !== undefined) qb.andWhere('e.enterpriseId = :enterpriseId', { enterpriseId: q.enterpriseId });
    if (q.q?.trim()) {
      qb.andWhere(`e.title LIKE :pattern ESCAPE '!'`, { pattern: containsPattern(q.q.trim()) });
    }
    const sort = q.sort ?? '-createdAt';
    const dir = sort.startsWith('-') ? 'DESC' : 'ASC';
    const column = SORT_COLUMNS[sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS];
    qb.orderBy(column, dir).addOrderBy('e.id', dir).skip(skip).take(take);
    return qb.getManyAndCount();
  }

  /** The contest, enterprise, unit and track names of a page of entries: one query per kind. */
  async names(rows: readonly Entry[]): Promise<EntryNames> {
    const m = this.dataSource.manager;
    const names = async (entity: typeof Contest | typeof Enterprise | typeof RecommendingUnit | typeof Track, ids: (number | null)[]) => {
      const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
      const found: { id: number; name: string }[] = wanted.length ? await m.getRepository(entity).find({ select: { id: true, name: true }, where: { id: In(wanted) } }) : [];
      return new Map(found.map((r) => [r.id, r.name]));
    };
    const [contests, enterprises, units, tracks] = await Promise.all([
      names(Contest, rows.map((e) => e.contestId)), names(Enterprise, rows.map((e) => e.enterpriseId)),
      names(RecommendingUnit, rows.map((e) => e.unitId)), names(Track, rows.map((e) => e.trackId ?? null)),
    ]);
    return { contests, enterprises, units, tracks };
  }

  /** Entries per status in one contest, every status present (0 when none). */
  async countsByStatus(contestId: number): Promise<Record<EntryStatus, number>> {
    const rows: StatusCountRow[] = await this.dataSource
      .getRepository(Entry)
      .createQueryBuilder('e')
      .select('e.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where('e.contestId = :contestId', { contestId })
      .groupBy('e.status')
      .getRawMany<StatusCountRow>();
    const byStatus = Object.fromEntries(ENTRY_STATUSES.map((s) => [s, 0])) as Record<EntryStatus, number>;
    for (const r of rows) byStatus[r.status] = Number(r.n);
    return byStatus;
  }

  /** An entry's timeline, oldest first, with the display name of each actor (null for the system). */
  async events(m: EntityManager, entryId: number): Promise<{ event: EntryEvent; actorName: string | null }[]> {
    const events = await m.getRepository(EntryEvent).find({ where: { entryId }, order: { id: 'ASC' } });
    const actorIds = [...new Set(events.map((e) => e.actorId).filter((x): x is number => x !== null))];
    const users = actorIds.length ? await m.getRepository(User).find({ where: { id: In(actorIds) }, select: { id: true, displayName: true } }) : [];
    const names = new Map(users.map((u) => [u.id, u.displayName]));
    return events.map((event) => ({ event, actorName: event.actorId === null ? null : (names.get(event.actorId) ?? null) }));
  }

  hasReport(m: EntityManager, entryId: number): Promise<boolean> {
    return existsByColumns(m, Attachment, { entryId, kind: 'report' });
  }

  /** Entries of the enterprise in the contest that count against its cap (all but withdrawn ones). */
  countForEnterpriseCap(m: EntityManager, contestId: number, enterpriseId: number): Promise<number> {
    return countEntries(m, 'enterprise_id', contestId, enterpriseId, ENTRY_STATUSES.filter((s) => s !== 'withdrawn'));
  }

  /** Entries of the unit in the contest in `statuses` (its used recommendation slots). */
  countOfUnit(m: EntityManager, contestId: number, unitId: number, statuses: readonly EntryStatus[]): Promise<number> {
    return countEntries(m, 'unit_id', contestId, unitId, statuses);
  }
}

/**
 * Entries of a contest by enterprise or unit in `statuses`: plain SQL (every entry created and every
 * recommendation counts them, where building countBy's query was most of the cost).
 */
async function countEntries(m: EntityManager, by: 'enterprise_id' | 'unit_id', contestId: number, id: number, statuses: readonly EntryStatus[]): Promise<number> {
  if (!statuses.length) return 0;
  const [count] = await rows<{ n: unknown }>(
    m,
    `SELECT COUNT(*) AS n FROM entries WHERE contest_id = ? AND ${by} = ? AND status IN (${placeholders(statuses)})`,
    [contestId, id, ...statuses],
  );
  return Number(count?.n ?? 0);
}
