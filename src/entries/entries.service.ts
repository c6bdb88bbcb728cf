import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { Contest } from '../contests/contest.entities.js';
import { findOr404 } from '../database/row-lock.js';
import { missingForSubmission, type RuleProblem } from './entry-rules.js';
import { Entry } from './entry.entities.js';
import {
  type EntryCountsResponse, type EntryDetailResponse, type EntryEventResponse, type EntryListItem, type ListEntriesQuery, toEntryEventResponse, toEntryResponse,
} from './entries.dto.js';
import { EntriesRepository } from './entries.repository.js';

/**
 * Reading entries (攻关成果): one entry, the lists, the per-status counts and the timeline, for
 * whoever may see them (src/access). Changing them is EntryDraftingService (the enterprise) and
 * EntryRecommendationService (the unit); every status change is EntryTransitions.transitionEntry.
 */
@Injectable()
export class EntriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly repo: EntriesRepository,
  ) {}

  /**
   * Loads an entry the caller may see (404 otherwise: see src/access/entry.access.ts), locked for
   * update when `lock` (inside a transaction: then the row lock is the transaction's first read and
   * the decision is made from the locked row, without another read; see requireLockedEntry).
   */
  async findVisible(m: EntityManager, user: AuthUser, id: number, lock = false): Promise<Entry> {
    if (!lock) await this.access.requireAccess(user, 'entry.read', [id], m);
    const entry = await findOr404(m, Entry, { id }, { lock });
    if (lock) this.access.requireLockedEntry(user, entry);
    return entry;
  }

  /** Every missing content field and the PDF report, if none was uploaded (see missingForSubmission). */
  async missing(m: EntityManager, entry: Entry): Promise<RuleProblem[]> {
    const hasReport = await this.repo.hasReport(m, entry.id);
    return missingForSubmission({ ...entry, economicBenefit: entry.economicBenefit === null ? null : Number(entry.economicBenefit) }, hasReport);
  }

  async get(user: AuthUser, id: number): Promise<EntryDetailResponse> {
    const m = this.dataSource.manager;
    const entry = await this.findVisible(m, user, id);
    // What still blocks submission matters while the enterprise may still submit it (draft, returned).
    const missing = entry.status === 'draft' || entry.status === 'returned' ? await this.missing(m, entry) : [];
    return { ...toEntryResponse(entry), missing: missing.map((p) => ({ field: p.field, code: p.code, message: p.zh })) };
  }

  async list(user: AuthUser, q: ListEntriesQuery): Promise<Page<EntryListItem>> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const found = await this.repo.page(user, q, skip, take);
    if (!found) return { items: [], total: 0, page, pageSize };
    const [rows, total] = found;
    const names = await this.repo.names(rows);
    const items = rows.map((e) => ({
      ...toEntryResponse(e),
      contestName: names.contests.get(e.contestId) ?? '',
      enterpriseName: names.enterprises.get(e.enterpriseId) ?? '',
      unitName: names.units.get(e.unitId) ?? '',
      trackName: e.trackId ? (names.tracks.get(e.trackId) ?? null) : null,
    }));
    return { items, total, page, pageSize };
  }

  /** Entries per status in one contest (organizers). */
  async counts(contestId: number): Promise<EntryCountsResponse> {
    await findOr404(this.dataSource.manager, Contest, { id: contestId });
    const byStatus = await this.repo.countsByStatus(contestId);
    const total = Object.values(byStatus).reduce((n, x) => n + x, 0);
    return { contestId, total, byStatus };
  }

  /** The status timeline, oldest first. */
  async events(user: AuthUser, id: number): Promise<{ items: EntryEventResponse[]; total: number }> {
    const m = this.dataSource.manager;
    await this.findVisible(m, user, id);
    const items = (await this.repo.events(m, id)).map((x) => toEntryEventResponse(x.event, x.actorName));
    return { items, total: items.length };
  }
}
