import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, fieldError, type FieldError } from '../common/errors.js';
import { pageWindow, type Page } from '../common/pagination.js';
import type { Stage } from '../contests/contest.entities.js';
import { ContestsService } from '../contests/contests.service.js';
import { validateMarks, type RubricItem } from '../judging/rubric.js';
import {
  iso,
  marksInPoints,
  type MySheetResponse,
  type MySheetsQuery,
  type OrganizerSheetResponse,
  points,
  type SaveSheetDto,
  type SheetListItem,
  type SheetResponse,
  type SheetVersionResponse,
  toSheetRubricResponse,
  type SignOffResponse,
  type SignOffStatusResponse,
  type EntrySheetItem,
} from './scoring.dto.js';
import type { SheetStatus } from './scoring.entities.js';
import { ProgressService } from './progress.service.js';
import { needsPanelMembership, readRefusal, type Refusal, type ScoringFacts, writeRefusal } from '../access/sheet.access.js';
import { signOffRefusal } from '../access/session.access.js';
import { expertSheetsSql } from '../access/entry.access.js';
import { completeTotal, contentHash, validateComments } from './sheet-rules.js';
import { dbDate, exec, isDuplicateKey, isTransient, num, parseJson, readDate, rows } from './sql.js';
import { Clock } from '../common/clock.js';
import { NotificationsService } from '../notifications/notifications.service.js';

/** One row of the scoring context: everything a draft or submit needs, read in one query. */
interface ContextRow {
  entryId: number;
  contestId: number;
  entryType: string;
  title: string;
  enterpriseId: number;
  unitId: number | null;
  phase: string;
  assignmentId: number | null;
  declaredReason: string | null;
  expertId: number | null;
  employerEnterpriseId: number | null;
  employerUnitId: number | null;
  attendance: string | null;
  sessionId: number | null;
  signedOffAt: unknown;
  currentRubricId: number | null;
  sheetId: number | null;
  status: SheetStatus | null;
  marks: string | null;
  comments: string | null;
  total: number | null;
  rubricId: number | null;
  version: number | null;
  lockVersion: number | null;
  reopenReason: string | null;
  submittedAt: unknown;
  createdAt: unknown;
  updatedAt: unknown;
}

/**
 * The scoring context in ONE round trip: entry and contest phase, the assignment, declared and
 * automatic conflicts (the expert's employer), attendance and the session's sign-off, the current
 * rubric id and the expert's sheet. Every join hits a primary or unique key (at most one row each:
 * uq_assignments, uq_declared_conflicts, uq_session_slots_entry, uq_score_sheets; the rubric by
 * uq_rubrics_version). LEFT JOINs rather than scalar subqueries: about 3× cheaper to plan on MariaDB.
 */
const CONTEXT_SQL = `
SELECT e.id AS entryId, e.contest_id AS contestId, e.entry_type AS entryType, e.title AS title,
  e.enterprise_id AS enterpriseId, e.unit_id AS unitId, c.phase AS phase,
  (SELECT r.id FROM rubrics r WHERE r.contest_id = e.contest_id AND r.entry_type = e.entry_type AND r.stage = ?
     ORDER BY r.version DESC LIMIT 1) AS currentRubricId,
  a.id AS assignmentId, d.reason AS declaredReason,
  x.id AS expertId, x.employer_enterprise_id AS employerEnterpriseId, x.employer_unit_id AS employerUnitId,
  ss.attendance AS attendance, ss.session_id AS sessionId, ps.signed_off_at AS signedOffAt,
  s.id AS sheetId, s.status AS status, s.marks AS marks, s.comments AS comments, s.total AS total,
  s.rubric_id AS rubricId, s.version AS version, s.lock_version AS lockVersion, s.reopen_reason AS reopenReason,
  s.submitted_at AS submittedAt, s.created_at AS createdAt, s.updated_at AS updatedAt
FROM entries e
JOIN contests c ON c.id = e.contest_id
LEFT JOIN assignments a ON a.expert_id = ? AND a.entry_id = e.id
LEFT JOIN experts x ON x.id = ?
LEFT JOIN declared_conflicts d ON d.expert_id = ? AND d.entry_id = e.id
LEFT JOIN session_slots ss ON ss.entry_id = e.id
LEFT JOIN presentation_sessions ps ON ps.id = ss.session_id
LEFT JOIN score_sheets s ON s.expert_id = ? AND s.entry_id = e.id AND s.stage = ?
WHERE e.id = ?`;

const INSERT_SHEET_SQL = `INSERT INTO score_sheets
  (contest_id, entry_id, expert_id, stage, status, marks, comments, total, rubric_id, version, lock_version, reopen_reason, submitted_at, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?)`;

const UPDATE_SHEET_SQL = `UPDATE score_sheets
  SET status = ?, marks = ?, comments = ?, total = ?, version = ?, lock_version = lock_version + 1, submitted_at = ?, updated_at = ?
  WHERE id = ? AND lock_version = ?`;

const INSERT_VERSION_SQL = `INSERT INTO score_sheet_versions
  (sheet_id, version, marks, comments, total, content_hash, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/** Thrown inside a transaction when a concurrent writer won: the whole use case runs again on fresh data. */
class RaceLost extends Error {}

const MAX_ATTEMPTS = 6;

const TEXT = {
  wrong_phase: { zh: '当前评比阶段不能评分（仅限现场发表阶段）', en: 'Scoring is only possible in the presentation phase' },
  entry_absent: { zh: '该成果缺席现场发表，不评分', en: 'The entry was absent from its presentation: it is not scored' },
  session_signed_off: { zh: '该场次评分已由组长确认，不能再修改；如需修改请联系组委会重新开放评分表', en: 'The session was signed off; ask the organizer to reopen the sheet' },
  conflict_of_interest: { zh: '您与该成果存在利益冲突，须回避', en: 'You have a conflict of interest with this entry' },
  sheet_locked: { zh: '评分表已提交并锁定，不能修改；如需修改请联系组委会重新开放', en: 'The sheet is submitted and locked; only an organizer can reopen it' },
  stale_version: { zh: '评分表已在别处被修改，请刷新后重试', en: 'The sheet was changed elsewhere (stale lockVersion); reload and retry' },
  rubric_missing: { zh: '该成果类型和环节尚无评分表', en: 'There is no rubric for this entry type and stage' },
  sheet_not_submitted: { zh: '只有已提交的评分表才能重新开放', en: 'Only a submitted sheet can be reopened' },
  not_panel_leader: { zh: '只有本评审组组长才能确认本场次评分', en: 'Only the panel leader can sign off the session' },
  sheets_missing: { zh: '还有评分表未提交，不能确认', en: 'Some assigned score sheets are not submitted yet' },
  session_without_panel: { zh: '该场次尚未指定评审组', en: 'The session has no panel' },
} as const;

function refuse(r: Refusal): AppError {
  switch (r.status) {
    case 404:
      return AppError.notFound();
    case 403:
      return AppError.forbidden('conflict_of_interest', TEXT.conflict_of_interest);
    case 409:
      return AppError.conflict(r.code, TEXT[r.code]);
  }
}

/** Stable, content-free audit snapshot: marks are scores, and nobody but organizers may see scores. */
function auditState(s: { id: number; entryId: number; stage: Stage; status: SheetStatus; version: number; lockVersion: number }) {
  return { sheetId: s.id, entryId: s.entryId, stage: s.stage, status: s.status, version: s.version, lockVersion: s.lockVersion };
}

interface SheetState {
  id: number | null;
  status: SheetStatus;
  marks: Record<string, number>;
  comments: Record<string, string>;
  total: number | null;
  rubricId: number;
  version: number;
  lockVersion: number;
  reopenReason: string | null;
  submittedAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

@Injectable()
export class ScoringService implements OnModuleInit {
  /** Rubric rows never change once written: their items are cached by id (safe across instances). */
  private readonly rubricCache = new Map<number, readonly RubricItem[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly contests: ContestsService,
    private readonly progress: ProgressService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  /** A committed sheet change reaches this instance's live progress streams at once (others poll). */
  private pushed<T extends { contestId: number }>(out: T): T {
    this.progress.changed(out.contestId);
    return out;
  }

  onModuleInit(): void {
    this.contests.registerFactsProvider(async (m, contest, to, facts) => {
      if (to !== 'finalizing') return;
      facts.missingSheetCount = await this.missingSheetCount(m, contest.id);
      facts.unsignedPanelCount = await this.unsignedSessionCount(m, contest.id);
    });
  }

  /** Runs a use case again when it lost a race (duplicate first insert, changed lockVersion, deadlock). */
  private async withRetry<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(fn);
      } catch (e) {
        const retry = e instanceof RaceLost || isDuplicateKey(e) || isTransient(e);
        if (!retry) throw e;
        if (attempt >= MAX_ATTEMPTS) throw AppError.conflict('stale_version', TEXT.stale_version);
      }
    }
  }

  async rubricItems(m: EntityManager, id: number): Promise<readonly RubricItem[]> {
    const hit = this.rubricCache.get(id);
    if (hit) return hit;
    const [row] = await rows<{ items: string }>(m, 'SELECT items FROM rubrics WHERE id = ?', [id]);
    if (!row) throw AppError.conflict('rubric_missing', TEXT.rubric_missing);
    const items = Object.freeze(parseJson<RubricItem[]>(row.items, []).map((i) => Object.freeze({ ...i })));
    this.rubricCache.set(id, items);
    return items;
  }

  private async context(m: EntityManager, expertId: number | null, entryId: number, stage: Stage): Promise<ContextRow> {
    // An expert account without an expert record scores nothing; -1 matches no row.
    const x = expertId ?? -1;
    const [row] = await rows<ContextRow>(m, CONTEXT_SQL, [stage, x, x, x, x, stage, entryId]);
    if (!row) throw AppError.notFound();
    return row;
  }

  private async facts(m: EntityManager, row: ContextRow): Promise<ScoringFacts> {
    const facts: ScoringFacts = {
      phase: row.phase,
      assigned: row.assignmentId !== null && row.assignmentId !== undefined,
      panelMember: false,
      declaredConflict: row.declaredReason !== null && row.declaredReason !== undefined ? { reason: row.declaredReason } : null,
      expert: row.expertId === null || row.expertId === undefined ? null : { id: row.expertId, employerEnterpriseId: row.employerEnterpriseId, employerUnitId: row.employerUnitId },
      entry: { id: row.entryId, enterpriseId: row.enterpriseId, unitId: row.unitId },
      attendance: row.attendance,
      signedOff: readDate(row.signedOffAt) !== null,
    };
    if (needsPanelMembership(facts)) {
      // Rare path (an automatic conflict of an unassigned expert): is the expert on a panel judging the entry?
      const [r] = await rows<{ n: unknown }>(
        m,
        `SELECT COUNT(*) AS n FROM panel_members pm WHERE pm.expert_id = ? AND (
           pm.panel_id IN (SELECT ps.panel_id FROM session_slots ss JOIN presentation_sessions ps ON ps.id = ss.session_id WHERE ss.entry_id = ?)
           OR pm.panel_id IN (SELECT a.panel_id FROM assignments a WHERE a.entry_id = ?))`,
        [row.expertId, row.entryId, row.entryId],
      );
      facts.panelMember = num(r?.n) > 0;
    }
    return facts;
  }

  private sheetState(row: ContextRow): SheetState | null {
    if (row.sheetId === null || row.sheetId === undefined) return null;
    return {
      id: Number(row.sheetId),
      status: row.status as SheetStatus,
      marks: parseJson<Record<string, number>>(row.marks, {}),
      comments: parseJson<Record<string, string>>(row.comments, {}),
      total: row.total === null ? null : Number(row.total),
      rubricId: Number(row.rubricId),
      version: Number(row.version),
      lockVersion: Number(row.lockVersion),
      reopenReason: row.reopenReason,
      submittedAt: readDate(row.submittedAt),
      createdAt: readDate(row.createdAt),
      updatedAt: readDate(row.updatedAt),
    };
  }

  private rubricIdOf(row: ContextRow): number {
    const id = row.sheetId !== null && row.sheetId !== undefined ? row.rubricId : row.currentRubricId;
    if (id === null || id === undefined) throw AppError.conflict('rubric_missing', TEXT.rubric_missing);
    return Number(id);
  }

  private toSheetResponse(row: { contestId: number; entryId: number }, expertId: number, stage: Stage, items: readonly RubricItem[], s: SheetState): SheetResponse {
    return {
      id: s.id,
      contestId: Number(row.contestId),
      entryId: Number(row.entryId),
      expertId,
      stage,
      status: s.status,
      marks: marksInPoints(items, s.marks),
      comments: s.comments,
      total: s.total === null ? null : points(s.total),
      rubricId: s.rubricId,
      version: s.version,
      lockVersion: s.lockVersion,
      reopenReason: s.reopenReason,
      submittedAt: iso(s.submittedAt),
      createdAt: iso(s.createdAt),
      updatedAt: iso(s.updatedAt),
    };
  }

  /** Marks and comments checked against the rubric; every field's problem at once (400, nothing written). */
  private validateContent(items: readonly RubricItem[], dto: SaveSheetDto, partial: boolean, current: Record<string, string>) {
    const errors: FieldError[] = [];
    const marks = validateMarks(items, dto.marks, { partial });
    if (!marks.ok) for (const e of marks.errors) errors.push(fieldError(e.field ? `marks.${e.field}` : 'marks', e.code, e.message, englishMark(e.code, e.field)));
    let comments = current;
    if (dto.comments !== undefined) {
      const c = validateComments(items, dto.comments);
      if (!c.ok) for (const e of c.errors) errors.push(fieldError(e.field ? `comments.${e.field}` : 'comments', e.code, e.message, englishComment(e.code, e.field)));
      else comments = c.comments;
    }
    if (errors.length || !marks.ok) throw AppError.badRequest('validation_failed', undefined, errors);
    return { marks: marks.marks, total: marks.total, comments };
  }

  // ---------------------------------------------------------------- expert routes

  /** The expert's own sheet with its rubric, or an empty draft shape when not started. */
  async mine(user: AuthUser, entryId: number, stage: Stage): Promise<MySheetResponse> {
    const m = this.dataSource.manager;
    const row = await this.context(m, user.expertId, entryId, stage);
    const refusal = readRefusal(await this.facts(m, row));
    if (refusal) throw refuse(refusal);
    const rubricId = this.rubricIdOf(row);
    const items = await this.rubricItems(m, rubricId);
    const state = this.sheetState(row) ?? emptySheet(rubricId);
    return {
      ...this.toSheetResponse(row, row.expertId as number, stage, items, state),
      entryTitle: row.title,
      entryType: row.entryType,
      rubric: toSheetRubricResponse(rubricId, items),
    };
  }

  /** What a draft save and a submit both start from: the checked context, the rubric, the sheet and the validated content. */
  private async loadForWrite(m: EntityManager, user: AuthUser, entryId: number, stage: Stage, dto: SaveSheetDto, partial: boolean) {
    const row = await this.context(m, user.expertId, entryId, stage);
    const facts = await this.facts(m, row);
    const read = readRefusal(facts);
    if (read) throw refuse(read);
    const rubricId = this.rubricIdOf(row);
    const items = await this.rubricItems(m, rubricId);
    const sheet = this.sheetState(row);
    const content = this.validateContent(items, dto, partial, sheet?.comments ?? {});
    return { row, facts, rubricId, items, sheet, content };
  }

  /** Saves a draft (partial marks allowed, each still validated); creates the sheet on the first save. */
  async saveDraft(user: AuthUser, actor: Actor, entryId: number, stage: Stage, dto: SaveSheetDto): Promise<SheetResponse> {
    return this.withRetry(async (m) => {
      const { row, facts, rubricId, items, sheet, content } = await this.loadForWrite(m, user, entryId, stage, dto, true);
      const refusal = writeRefusal(facts);
      if (refusal) throw refuse(refusal);
      if (sheet?.status === 'submitted') throw AppError.conflict('sheet_locked', TEXT.sheet_locked);
      if (dto.lockVersion !== undefined && dto.lockVersion !== (sheet?.lockVersion ?? 0)) throw AppError.conflict('stale_version', TEXT.stale_version);

      const now = this.clock.now();
      now.setMilliseconds(0);
      const total = completeTotal(items, content.marks);
      const marksJson = JSON.stringify(content.marks);
      const commentsJson = JSON.stringify(content.comments);
      const expertId = row.expertId as number;
      let next: SheetState;
      if (!sheet) {
        // A parallel first save makes the unique key (expert, entry, stage) refuse one insert: the loser re-reads.
        const res = await exec(m, INSERT_SHEET_SQL, [row.contestId, entryId, expertId, stage, 'draft', marksJson, commentsJson, total, rubricId, 0, null, dbDate(now), dbDate(now)]);
        next = { id: res.insertId, status: 'draft', marks: content.marks, comments: content.comments, total, rubricId, version: 0, lockVersion: 1, reopenReason: null, submittedAt: null, createdAt: now, updatedAt: now };
      } else {
        const res = await exec(m, UPDATE_SHEET_SQL, ['draft', marksJson, commentsJson, total, sheet.version, sheet.submittedAt ? dbDate(sheet.submittedAt) : null, dbDate(now), sheet.id, sheet.lockVersion]);
        if (res.affected !== 1) throw new RaceLost();
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
      return this.toSheetResponse(row, expertId, stage, items, next);
    }).then((out) => this.pushed(out));
  }

  /**
   * Submits: every item marked, total computed here, the sheet locked and a version written.
   * The same content again is answered with the same version (idempotent); concurrent submits of
   * one sheet produce exactly one version (unique key + conditional update on lock_version).
   */
  async submit(user: AuthUser, actor: Actor, entryId: number, stage: Stage, dto: SaveSheetDto): Promise<SheetResponse> {
    return this.withRetry(async (m) => {
      const { row, facts, rubricId, items, sheet, content } = await this.loadForWrite(m, user, entryId, stage, dto, false);
      const hash = contentHash(content.marks, content.comments);
      const expertId = row.expertId as number;
      if (sheet?.status === 'submitted') {
        // Idempotent: the content already submitted is answered with the version it made.
        if (contentHash(sheet.marks, sheet.comments) === hash) return this.toSheetResponse(row, expertId, stage, items, sheet);
        throw AppError.conflict('sheet_locked', TEXT.sheet_locked);
      }
      const refusal = writeRefusal(facts);
      if (refusal) throw refuse(refusal);
      if (dto.lockVersion !== undefined && dto.lockVersion !== (sheet?.lockVersion ?? 0)) throw AppError.conflict('stale_version', TEXT.stale_version);

      const now = this.clock.now();
      now.setMilliseconds(0);
      const marksJson = JSON.stringify(content.marks);
      const commentsJson = JSON.stringify(content.comments);
      const version = (sheet?.version ?? 0) + 1;
      let id: number;
      if (!sheet) {
        const res = await exec(m, INSERT_SHEET_SQL, [row.contestId, entryId, expertId, stage, 'submitted', marksJson, commentsJson, content.total, rubricId, version, dbDate(now), dbDate(now), dbDate(now)]);
        id = res.insertId;
      } else {
        const res = await exec(m, UPDATE_SHEET_SQL, ['submitted', marksJson, commentsJson, content.total, version, dbDate(now), dbDate(now), sheet.id, sheet.lockVersion]);
        if (res.affected !== 1) throw new RaceLost();
        id = sheet.id as number;
      }
      await exec(m, INSERT_VERSION_SQL, [id, version, marksJson, commentsJson, content.total, hash, actor.id, dbDate(now)]);
      const next: SheetState = {
        id,
        status: 'submitted',
        marks: content.marks,
        comments: content.comments,
        total: content.total,
        rubricId,
        version,
        lockVersion: (sheet?.lockVersion ?? 0) + 1,
        reopenReason: sheet?.reopenReason ?? null,
        submittedAt: now,
        createdAt: sheet?.createdAt ?? now,
        updatedAt: now,
      };
      await this.audit.record(m, actor, {
        action: 'sheet.submit',
        targetType: 'score_sheet',
        targetId: id,
        before: sheet ? auditState({ ...sheet, id, entryId, stage }) : null,
        after: { ...auditState({ ...next, id, entryId, stage }), contentHash: hash },
      });
      return this.toSheetResponse(row, expertId, stage, items, next);
    }).then((out) => this.pushed(out));
  }

  /** The expert's own sheets (never anyone else's), newest change first. */
  async listMine(user: AuthUser, q: MySheetsQuery): Promise<Page<SheetListItem>> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const m = this.dataSource.manager;
    // The sheets whose entry the expert may see: exactly those it may open (src/access/entry.access.ts).
    const x = user.expertId ?? -1;
    const where = `${expertSheetsSql('s', 'e')}${q.contestId ? ' AND s.contest_id = ?' : ''}`;
    const params: unknown[] = [x, x, x, x, ...(q.contestId ? [q.contestId] : [])];
    const [count] = await rows<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM score_sheets s JOIN entries e ON e.id = s.entry_id WHERE ${where}`, params);
    const list = await rows<Record<string, unknown>>(
      m,
      `SELECT s.id, s.contest_id AS contestId, s.entry_id AS entryId, e.title AS entryTitle, s.stage, s.status, s.total, s.version,
         s.lock_version AS lockVersion, s.submitted_at AS submittedAt, s.updated_at AS updatedAt
       FROM score_sheets s JOIN entries e ON e.id = s.entry_id WHERE ${where}
       ORDER BY s.updated_at DESC, s.id DESC LIMIT ? OFFSET ?`,
      [...params, take, skip],
    );
    return {
      items: list.map((r) => ({
        id: Number(r.id),
        contestId: Number(r.contestId),
        entryId: Number(r.entryId),
        entryTitle: String(r.entryTitle),
        stage: r.stage as Stage,
        status: r.status as SheetStatus,
        total: r.total === null ? null : points(Number(r.total)),
        version: Number(r.version),
        lockVersion: Number(r.lockVersion),
        submittedAt: iso(readDate(r.submittedAt)),
        updatedAt: iso(readDate(r.updatedAt)) as string,
      })),
      total: num(count?.n),
      page,
      pageSize,
    };
  }

  // ---------------------------------------------------------------- organizer routes

  private async organizerRow(m: EntityManager, id: number) {
    const [row] = await rows<Record<string, unknown>>(
      m,
      `SELECT s.*, x.name AS expert_name, e.title AS entry_title, c.phase AS phase, ss.session_id AS session_id_of_entry,
         ps.signed_off_at AS session_signed_off_at
       FROM score_sheets s
       JOIN entries e ON e.id = s.entry_id
       JOIN contests c ON c.id = s.contest_id
       LEFT JOIN experts x ON x.id = s.expert_id
       LEFT JOIN session_slots ss ON ss.entry_id = s.entry_id
       LEFT JOIN presentation_sessions ps ON ps.id = ss.session_id
       WHERE s.id = ?`,
      [id],
    );
    if (!row) throw AppError.notFound();
    return row;
  }

  private rowState(r: Record<string, unknown>): SheetState {
    return {
      id: Number(r.id),
      status: r.status as SheetStatus,
      marks: parseJson<Record<string, number>>(r.marks, {}),
      comments: parseJson<Record<string, string>>(r.comments, {}),
      total: r.total === null ? null : Number(r.total),
      rubricId: Number(r.rubric_id),
      version: Number(r.version),
      lockVersion: Number(r.lock_version),
      reopenReason: (r.reopen_reason as string | null) ?? null,
      submittedAt: readDate(r.submitted_at),
      createdAt: readDate(r.created_at),
      updatedAt: readDate(r.updated_at),
    };
  }

  async versions(m: EntityManager, sheetId: number): Promise<SheetVersionResponse[]> {
    const list = await rows<Record<string, unknown>>(m, 'SELECT * FROM score_sheet_versions WHERE sheet_id = ? ORDER BY version', [sheetId]);
    return list.map((v) => {
      const marks = parseJson<Record<string, number>>(v.marks, {});
      return {
        id: Number(v.id),
        sheetId: Number(v.sheet_id),
        version: Number(v.version),
        marks: Object.fromEntries(Object.entries(marks).map(([k, t]) => [k, points(t)])),
        comments: parseJson<Record<string, string>>(v.comments, {}),
        total: points(Number(v.total)),
        contentHash: String(v.content_hash),
        submittedBy: Number(v.submitted_by),
        submittedAt: iso(readDate(v.submitted_at)) as string,
      };
    });
  }

  /** A sheet with every submitted version (organizer). */
  async getForOrganizer(id: number): Promise<OrganizerSheetResponse> {
    const m = this.dataSource.manager;
    const r = await this.organizerRow(m, id);
    const state = this.rowState(r);
    const items = await this.rubricItems(m, state.rubricId);
    return {
      ...this.toSheetResponse({ contestId: Number(r.contest_id), entryId: Number(r.entry_id) }, Number(r.expert_id), r.stage as Stage, items, state),
      expertName: String(r.expert_name ?? ''),
      entryTitle: String(r.entry_title),
      rubric: toSheetRubricResponse(state.rubricId, items),
      versions: await this.versions(m, id),
    };
  }

  /** Every sheet of an entry, for the organizer to find the one to read or reopen (experts by name and employer). */
  async listOfEntry(entryId: number): Promise<{ items: EntrySheetItem[] }> {
    const m = this.dataSource.manager;
    const [entry] = await rows<{ id: unknown }>(m, 'SELECT id FROM entries WHERE id = ?', [entryId]);
    if (!entry) throw AppError.notFound();
    const list = await rows<Record<string, unknown>>(
      m,
      `SELECT s.id, s.stage, s.status, s.total, s.version, s.reopen_reason, s.submitted_at, s.updated_at, s.expert_id, x.name AS expert_name, x.employer_name
       FROM score_sheets s LEFT JOIN experts x ON x.id = s.expert_id WHERE s.entry_id = ? ORDER BY s.stage, x.name, s.id`,
      [entryId],
    );
    return {
      items: list.map((r) => ({
        id: Number(r.id),
        expertId: Number(r.expert_id),
        expertName: String(r.expert_name ?? ''),
        expertEmployer: (r.employer_name as string | null) ?? null,
        stage: r.stage as Stage,
        status: r.status as SheetStatus,
        total: r.total === null || r.total === undefined ? null : points(Number(r.total)),
        version: Number(r.version),
        reopenReason: (r.reopen_reason as string | null) ?? null,
        submittedAt: iso(readDate(r.submitted_at)),
        updatedAt: iso(readDate(r.updated_at)) as string,
      })),
    };
  }

  async listVersions(id: number): Promise<SheetVersionResponse[]> {
    const m = this.dataSource.manager;
    await this.organizerRow(m, id);
    return this.versions(m, id);
  }

  /**
   * Reopens a submitted sheet (organizer, with a reason): back to draft so the expert can change it
   * and submit version n+1. A sign-off of the entry's session is cleared: the leader signs again.
   */
  async reopen(actor: Actor, id: number, reason: string): Promise<OrganizerSheetResponse> {
    await this.dataSource.transaction(async (m) => {
      const r = await this.organizerRow(m, id);
      if (r.phase !== 'presentation') throw AppError.conflict('wrong_phase', TEXT.wrong_phase);
      const sheet = this.rowState(r);
      if (sheet.status !== 'submitted') throw AppError.conflict('sheet_not_submitted', TEXT.sheet_not_submitted);
      const now = this.clock.now();
      now.setMilliseconds(0);
      const res = await exec(m, `UPDATE score_sheets SET status = 'draft', reopen_reason = ?, lock_version = lock_version + 1, updated_at = ? WHERE id = ? AND lock_version = ?`, [
        reason,
        dbDate(now),
        id,
        sheet.lockVersion,
      ]);
      if (res.affected !== 1) throw AppError.conflict('stale_version', TEXT.stale_version);
      const entryId = Number(r.entry_id);
      const stage = r.stage as Stage;
      await this.audit.record(m, actor, {
        action: 'sheet.reopen',
        targetType: 'score_sheet',
        targetId: id,
        before: auditState({ ...sheet, id, entryId, stage }),
        after: { ...auditState({ ...sheet, id, entryId, stage, status: 'draft', lockVersion: sheet.lockVersion + 1 }), reopenReason: reason },
      });
      await this.notifications.notify(m, { event: 'sheet.reopened', sheetId: id, reason });
      const sessionId = r.session_id_of_entry === null || r.session_id_of_entry === undefined ? null : Number(r.session_id_of_entry);
      if (sessionId !== null) {
        // Always taken (even when not signed off): the session row lock orders this against a concurrent sign-off.
        const cleared = await exec(m, 'UPDATE presentation_sessions SET signed_off_at = NULL, signed_off_by = NULL WHERE id = ? AND signed_off_at IS NOT NULL', [sessionId]);
        if (cleared.affected) {
          await this.audit.record(m, actor, {
            action: 'session.sign_off_cleared',
            targetType: 'presentation_session',
            targetId: sessionId,
            before: { signedOffAt: iso(readDate(r.session_signed_off_at)) },
            after: { signedOffAt: null, reason, reopenedSheetId: id },
          });
        }
      }
    });
    return this.pushed(await this.getForOrganizer(id));
  }

  // ---------------------------------------------------------------- sign-off

  /** The session's sign-off belongs to its panel's leader (src/access/session.access.ts): another member 403, anyone else 404. */
  private requireSignOff(user: AuthUser, s: Record<string, unknown>, act: 'status' | 'sign'): void {
    const leaderExpertId = s.leader_expert_id === null || s.leader_expert_id === undefined ? null : Number(s.leader_expert_id);
    const refusal = signOffRefusal(user, { leaderExpertId, member: num(s.member) > 0 }, act);
    if (refusal === 403) throw AppError.forbidden('not_panel_leader', TEXT.not_panel_leader);
    if (refusal === 404) throw AppError.notFound();
  }

  /** The panel leader confirms the session once every assigned sheet of its non-absent entries is submitted. */
  async signOff(user: AuthUser, actor: Actor, sessionId: number): Promise<SignOffResponse> {
    return this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      now.setMilliseconds(0);
      // The session row lock first, so that the missing-sheet read below sees every reopen committed before it.
      const taken = await exec(m, 'UPDATE presentation_sessions SET signed_off_at = ?, signed_off_by = ? WHERE id = ? AND signed_off_at IS NULL', [dbDate(now), actor.id, sessionId]);
      const [s] = await rows<Record<string, unknown>>(
        m,
        `SELECT ps.id, ps.contest_id, ps.panel_id, ps.name, ps.signed_off_at, ps.signed_off_by, c.phase, p.leader_expert_id,
           (SELECT COUNT(*) FROM panel_members pm WHERE pm.panel_id = ps.panel_id AND pm.expert_id = ?) AS member
         FROM presentation_sessions ps JOIN contests c ON c.id = ps.contest_id LEFT JOIN panels p ON p.id = ps.panel_id
         WHERE ps.id = ?`,
        [user.expertId ?? -1, sessionId],
      );
      if (!s) throw AppError.notFound();
      this.requireSignOff(user, s, 'sign');
      if (s.phase !== 'presentation') throw AppError.conflict('wrong_phase', TEXT.wrong_phase);
      const out = (at: unknown, by: unknown): SignOffResponse => ({ sessionId, signedOffAt: iso(readDate(at)), signedOffBy: by === null || by === undefined ? null : Number(by) });
      if (!taken.affected) return out(s.signed_off_at, s.signed_off_by); // already signed: idempotent
      const missing = await this.missingOfSession(m, sessionId);
      if (missing.length) {
        throw AppError.conflict('sheets_missing', { zh: `${TEXT.sheets_missing.zh}（${missing.length} 张）`, en: `${TEXT.sheets_missing.en} (${missing.length})` }, { missing });
      }
      await this.audit.record(m, actor, {
        action: 'session.sign_off',
        targetType: 'presentation_session',
        targetId: sessionId,
        before: { signedOffAt: null },
        after: { signedOffAt: now.toISOString(), signedOffBy: actor.id },
      });
      return out(now, actor.id);
    });
  }

  /**
   * What the panel leader sees before signing: the sign-off if any, and the sheets still missing.
   * The leader of the session's panel and organizers; another member 403, anyone else 404.
   */
  async signOffStatus(user: AuthUser, sessionId: number): Promise<SignOffStatusResponse> {
    const m = this.dataSource.manager;
    const [s] = await rows<Record<string, unknown>>(
      m,
      `SELECT ps.id, ps.signed_off_at, ps.signed_off_by, p.leader_expert_id,
         (SELECT COUNT(*) FROM panel_members pm WHERE pm.panel_id = ps.panel_id AND pm.expert_id = ?) AS member
       FROM presentation_sessions ps LEFT JOIN panels p ON p.id = ps.panel_id WHERE ps.id = ?`,
      [user.expertId ?? -1, sessionId],
    );
    if (!s) throw AppError.notFound();
    this.requireSignOff(user, s, 'status');
    const signedOffBy = s.signed_off_by === null || s.signed_off_by === undefined ? null : Number(s.signed_off_by);
    return { sessionId, signedOffAt: iso(readDate(s.signed_off_at)), signedOffBy, missing: await this.missingOfSession(m, sessionId) };
  }

  /** Assigned sheets of the session's non-absent entries that are not submitted, for both stages. */
  private async missingOfSession(m: EntityManager, sessionId: number) {
    const list = await rows<Record<string, unknown>>(
      m,
      `SELECT a.entry_id AS entryId, e.title AS entryTitle, a.expert_id AS expertId, x.name AS expertName, st.stage AS stage, s.status AS status
       FROM session_slots ss
       JOIN assignments a ON a.entry_id = ss.entry_id
       JOIN entries e ON e.id = ss.entry_id
       LEFT JOIN experts x ON x.id = a.expert_id
       CROSS JOIN (SELECT 'material' AS stage UNION ALL SELECT 'presentation' AS stage) st
       LEFT JOIN score_sheets s ON s.expert_id = a.expert_id AND s.entry_id = a.entry_id AND s.stage = st.stage
       WHERE ss.session_id = ? AND ss.attendance <> 'absent' AND (s.id IS NULL OR s.status <> 'submitted')
       ORDER BY ss.position, a.entry_id, a.expert_id, st.stage`,
      [sessionId],
    );
    return list.map((r) => ({
      entryId: Number(r.entryId),
      entryTitle: String(r.entryTitle),
      expertId: Number(r.expertId),
      expertName: String(r.expertName ?? ''),
      stage: String(r.stage),
      status: r.status === null || r.status === undefined ? 'not_started' : String(r.status),
    }));
  }

  // ---------------------------------------------------------------- phase facts

  /** Assignments of non-absent entries × both stages without a submitted sheet. */
  async missingSheetCount(m: EntityManager, contestId: number): Promise<number> {
    const [r] = await rows<{ n: unknown }>(
      m,
      `SELECT COUNT(*) AS n FROM assignments a
       CROSS JOIN (SELECT 'material' AS stage UNION ALL SELECT 'presentation' AS stage) st
       LEFT JOIN session_slots ss ON ss.entry_id = a.entry_id
       LEFT JOIN score_sheets s ON s.expert_id = a.expert_id AND s.entry_id = a.entry_id AND s.stage = st.stage AND s.status = 'submitted'
       WHERE a.contest_id = ? AND (ss.attendance IS NULL OR ss.attendance <> 'absent') AND s.id IS NULL`,
      [contestId],
    );
    return num(r?.n);
  }

  /** Sessions with a panel and non-absent entries whose leader has not signed off. */
  async unsignedSessionCount(m: EntityManager, contestId: number): Promise<number> {
    const [r] = await rows<{ n: unknown }>(
      m,
      `SELECT COUNT(*) AS n FROM presentation_sessions ps
       WHERE ps.contest_id = ? AND ps.panel_id IS NOT NULL AND ps.signed_off_at IS NULL
         AND EXISTS (SELECT 1 FROM session_slots ss WHERE ss.session_id = ps.id AND ss.attendance <> 'absent')`,
      [contestId],
    );
    return num(r?.n);
  }
}

function emptySheet(rubricId: number): SheetState {
  return { id: null, status: 'draft', marks: {}, comments: {}, total: null, rubricId, version: 0, lockVersion: 0, reopenReason: null, submittedAt: null, createdAt: null, updatedAt: null };
}

const MARK_EN: Record<string, string> = {
  not_an_object: 'marks must be an object of item key → points',
  required: 'not marked',
  unknown_item: 'no such rubric item',
  not_a_number: 'must be a number of points',
  below_zero: 'must not be negative',
  above_max: "exceeds the item's maximum",
  too_many_decimals: 'at most one decimal',
};
const COMMENT_EN: Record<string, string> = {
  not_an_object: 'comments must be an object of item key → text',
  unknown_item: 'no such rubric item',
  not_a_string: 'must be text',
  too_long: 'at most 500 characters',
};

function englishMark(code: string, field: string): string {
  return field ? `${field}: ${MARK_EN[code] ?? code}` : (MARK_EN[code] ?? code);
}
function englishComment(code: string, field: string): string {
  return field ? `${field}: ${COMMENT_EN[code] ?? code}` : (COMMENT_EN[code] ?? code);
}
