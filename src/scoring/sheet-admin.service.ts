import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { AppError } from '../common/errors.js';
import { Clock } from '../common/clock.js';
import { iso, type EntrySheetItem, type OrganizerSheetResponse, points, type SheetVersionResponse, toSheetRubricResponse } from './scoring.dto.js';
import { ProgressService } from './progress.service.js';
import { auditState, toSheetResponse, wrongPhase } from './sheet-view.js';
import { SCORING_TEXTS } from './scoring.errors.js';
import { SheetsRepository, type SheetState, toSheet } from './sheets.repository.js';
import { SignOffRepository } from './sign-off.repository.js';
import { readDate } from './sql.js';
import { NotificationsService } from '../notifications/notifications.service.js';

/** The organizer's administration of score sheets: read any sheet with its versions, list an entry's sheets, reopen. */
@Injectable()
export class SheetAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sheets: SheetsRepository,
    private readonly signOffs: SignOffRepository,
    private readonly audit: AuditService,
    private readonly progress: ProgressService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  private async versions(m: EntityManager, sheetId: number): Promise<SheetVersionResponse[]> {
    return (await this.sheets.versions(m, sheetId)).map((v) => ({
      id: v.id,
      sheetId: v.sheetId,
      version: v.version,
      marks: Object.fromEntries(Object.entries(v.marks).map(([k, t]) => [k, points(t)])),
      comments: v.comments,
      total: points(v.total),
      contentHash: v.contentHash,
      submittedBy: v.submittedBy,
      submittedAt: iso(v.submittedAt) as string,
    }));
  }

  /** A sheet with every submitted version (organizer). */
  async getForOrganizer(id: number): Promise<OrganizerSheetResponse> {
    const m = this.dataSource.manager;
    const r = await this.sheets.organizerRow(m, id);
    const state = toSheet(r) as SheetState;
    const items = await this.sheets.rubricItems(m, state.rubricId);
    return {
      ...toSheetResponse(r, Number(r.expertId), r.stage, items, state),
      expertName: String(r.expertName ?? ''),
      entryTitle: String(r.entryTitle),
      rubric: toSheetRubricResponse(state.rubricId, items),
      versions: await this.versions(m, id),
    };
  }

  /** Every sheet of an entry, for the organizer to find the one to read or reopen (experts by name and employer). */
  async listOfEntry(entryId: number): Promise<{ items: EntrySheetItem[] }> {
    const m = this.dataSource.manager;
    if (!(await this.sheets.entryExists(m, entryId))) throw AppError.notFound();
    const list = await this.sheets.listOfEntry(m, entryId);
    return {
      items: list.map((r) => {
        const s = toSheet(r) as SheetState;
        return {
          id: s.id as number,
          expertId: Number(r.expertId),
          expertName: String(r.expertName ?? ''),
          expertEmployer: r.expertEmployer ?? null,
          stage: r.stage,
          status: s.status,
          total: s.total === null ? null : points(s.total),
          version: s.version,
          reopenReason: s.reopenReason,
          submittedAt: iso(s.submittedAt),
          updatedAt: iso(s.updatedAt) as string,
        };
      }),
    };
  }

  async listVersions(id: number): Promise<SheetVersionResponse[]> {
    const m = this.dataSource.manager;
    await this.sheets.organizerRow(m, id);
    return this.versions(m, id);
  }

  /**
   * Reopens a submitted sheet (organizer, with a reason): back to draft so the expert can change it
   * and submit version n+1. A sign-off of the entry's session is cleared: the leader signs again.
   */
  async reopen(actor: Actor, id: number, reason: string): Promise<OrganizerSheetResponse> {
    await this.dataSource.transaction(async (m) => {
      const r = await this.sheets.organizerRow(m, id);
      if (r.phase !== 'presentation') throw wrongPhase(r.phase);
      const sheet = toSheet(r) as SheetState;
      if (sheet.status !== 'submitted') throw AppError.conflict('sheet_not_submitted');
      const now = this.clock.now();
      now.setMilliseconds(0);
      if (!(await this.sheets.reopen(m, id, sheet.lockVersion, reason, now))) throw AppError.conflict('stale_version', SCORING_TEXTS.stale_version);
      const entryId = Number(r.entryId);
      const stage = r.stage;
      await this.audit.record(m, actor, {
        action: 'sheet.reopen',
        targetType: 'score_sheet',
        targetId: id,
        before: auditState({ ...sheet, id, entryId, stage }),
        after: { ...auditState({ ...sheet, id, entryId, stage, status: 'draft', lockVersion: sheet.lockVersion + 1 }), reopenReason: reason },
      });
      await this.notifications.notify(m, { event: 'sheet.reopened', sheetId: id, reason });
      const sessionId = r.sessionId === null || r.sessionId === undefined ? null : Number(r.sessionId);
      // Always taken (even when not signed off): the session row lock orders this against a concurrent sign-off.
      if (sessionId !== null && (await this.signOffs.clear(m, sessionId))) {
        await this.audit.record(m, actor, {
          action: 'session.sign_off_cleared',
          targetType: 'presentation_session',
          targetId: sessionId,
          before: { signedOffAt: iso(readDate(r.sessionSignedOffAt)) },
          after: { signedOffAt: null, reason, reopenedSheetId: id },
        });
      }
    });
    const out = await this.getForOrganizer(id);
    this.progress.changed(out.contestId);
    return out;
  }
}
