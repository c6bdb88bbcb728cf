import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, chainKeyOf } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors.js';
import { pageWindow, type Page } from '../common/pagination.js';
import type { Stage } from '../contests/contest.entities.js';
import { readRefusal, writeRefusal } from '../access/sheet.access.js';
import { expertSheetsSql } from '../access/entry.access.js';
import { Clock } from '../common/clock.js';
import { RaceLost, retryingTransaction } from '../database/retry.js';
import { iso, type MySheetResponse, type MySheetsQuery, points, type SaveSheetDto, type SheetListItem, type SheetResponse, toSheetRubricResponse } from './scoring.dto.js';
import { ProgressService } from './progress.service.js';
import { completeTotal } from './sheet-rules.js';
import { checkedWrite, rubricIdOf, scoringFacts } from './sheet-context.js';
import { auditState, emptySheet, refuse, toSheetResponse } from './sheet-view.js';
import { SCORING_TEXTS } from './scoring.errors.js';
import { type ContextRow, SheetsRepository, type SheetState, toSheet } from './sheets.repository.js';

/**
 * The expert's own score sheets: read one (with its rubric), save a draft, list (the submit: see
 * sheet-submit.service.ts). Each write is one use case in one transaction, run again whole when it
 * lost a race (retry.ts).
 */
@Injectable()
export class SheetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sheets: SheetsRepository,
    private readonly audit: AuditService,
    private readonly progress: ProgressService,
    private readonly clock: Clock,
  ) {}

  /** Lost every attempt to concurrent writers: the client reloads. */
  private transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return retryingTransaction(this.dataSource, fn, () => AppError.conflict('stale_version', SCORING_TEXTS.stale_version));
  }

  private context(m: EntityManager, user: AuthUser, entryId: number, stage: Stage): Promise<ContextRow> {
    return this.sheets.context(m, user.expertId, chainKeyOf(user), entryId, stage);
  }

  /** The expert's own sheet with its rubric, or an empty draft shape when not started. */
  async mine(user: AuthUser, entryId: number, stage: Stage): Promise<MySheetResponse> {
    const m = this.dataSource.manager;
    const row = await this.context(m, user, entryId, stage);
    const refusal = readRefusal(await scoringFacts(this.sheets, m, row));
    if (refusal) throw refuse(refusal);
    const rubricId = rubricIdOf(row);
    const items = await this.sheets.rubricItems(m, rubricId);
    const state = toSheet(row) ?? emptySheet(rubricId);
    return {
      ...toSheetResponse(row, row.expertId as number, stage, items, state),
      entryTitle: row.title,
      entryType: row.entryType,
      rubric: toSheetRubricResponse(rubricId, items),
    };
  }

  /** What a draft save starts from: the checked context, the rubric, the sheet and the validated content. */
  private async loadForWrite(m: EntityManager, user: AuthUser, entryId: number, stage: Stage, dto: SaveSheetDto, partial: boolean) {
    const row = await this.context(m, user, entryId, stage);
    return { row, ...(await checkedWrite(this.sheets, m, row, dto, partial)) };
  }

  /** A committed sheet change reaches this instance's live progress streams at once (others poll). */
  private pushed<T extends { contestId: number }>(out: T): T {
    this.progress.changed(out.contestId);
    return out;
  }

  /** Saves a draft (partial marks allowed, each still validated); creates the sheet on the first save. */
  async saveDraft(user: AuthUser, actor: Actor, entryId: number, stage: Stage, dto: SaveSheetDto): Promise<SheetResponse> {
    const out = await this.transaction(async (m) => {
      const { row, facts, rubricId, items, sheet, content, expertId } = await this.loadForWrite(m, user, entryId, stage, dto, true);
      const refusal = writeRefusal(facts);
      if (refusal) throw refuse(refusal);
      if (sheet?.status === 'submitted') throw AppError.conflict('sheet_locked');
      if (dto.lockVersion !== undefined && dto.lockVersion !== (sheet?.lockVersion ?? 0)) throw AppError.conflict('stale_version', SCORING_TEXTS.stale_version);

      const now = this.clock.now();
      now.setMilliseconds(0);
      const total = completeTotal(items, content.marks);
      const write = { status: 'draft' as const, marks: JSON.stringify(content.marks), comments: JSON.stringify(content.comments), total, now };
      let next: SheetState;
      if (!sheet) {
        // A parallel first save makes the unique key (expert, entry, stage) refuse one insert: the loser re-reads.
        const id = await this.sheets.insertSheet(m, { ...write, contestId: row.contestId, entryId, expertId, stage, rubricId, version: 0, submittedAt: null });
        next = { id, status: 'draft', marks: content.marks, comments: content.comments, total, rubricId, version: 0, lockVersion: 1, reopenReason: null, submittedAt: null, createdAt: now, updatedAt: now };
      } else {
        if (!(await this.sheets.updateSheet(m, sheet.id as number, sheet.lockVersion, { ...write, version: sheet.version, submittedAt: sheet.submittedAt }))) throw new RaceLost();
        next = { ...sheet, marks: content.marks, comments: content.comments, total, lockVersion: sheet.lockVersion + 1, updatedAt: now };
      }
      const id = next.id as number;
      await this.audit.record(m, actor, {
        action: 'sheet.draft',
        targetType: 'score_sheet',
        targetId: id,
        before: sheet ? auditState({ ...sheet, id, entryId, stage }) : null,
        after: auditState({ ...next, id, entryId, stage }),
      });
      return toSheetResponse(row, expertId, stage, items, next);
    });
    return this.pushed(out);
  }

  /** The expert's own sheets (never anyone else's), newest change first. */
  async listMine(user: AuthUser, q: MySheetsQuery): Promise<Page<SheetListItem>> {
    const { skip, take, page, pageSize } = pageWindow(q);
    // The sheets whose entry the expert may see: exactly those it may open (src/access/entry.access.ts).
    const x = user.expertId ?? -1;
    const where = `${expertSheetsSql('s', 'e')}${q.contestId ? ' AND s.contest_id = ?' : ''}`;
    const params: unknown[] = [x, x, x, x, ...(q.contestId ? [q.contestId] : [])];
    const { list, total } = await this.sheets.page(this.dataSource.manager, where, params, take, skip);
    return {
      items: list.map((r) => {
        const s = toSheet(r) as SheetState;
        return {
          id: s.id as number,
          contestId: Number(r.contestId),
          entryId: Number(r.entryId),
          entryTitle: String(r.entryTitle),
          stage: r.stage,
          status: s.status,
          total: s.total === null ? null : points(s.total),
          version: s.version,
          lockVersion: s.lockVersion,
          submittedAt: iso(s.submittedAt),
          updatedAt: iso(s.updatedAt) as string,
        };
      }),
      total,
      page,
      pageSize,
    };
  }
}
