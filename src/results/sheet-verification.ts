/**
 * Checks every submitted score sheet of a contest against its rubric, its version row and its
 * `sheet.submit` audit event (see scoring/sheet-integrity.ts), with a handful of set-based queries
 * whatever the number of sheets: the sheets, their current version rows, the rubrics, and the audit
 * events in chunks of target ids (the audit index is on (target_type, target_id)). No Nest here:
 * the `results:verify` command uses it with a bare DataSource.
 */
import type { EntityManager } from 'typeorm';
import type { RubricItem } from '../judging/rubric.js';
import { checkSheetIntegrity, type SheetContent, type SheetProblem, type SheetProblemCode } from '../scoring/sheet-integrity.js';

/** Problems listed in a response (all are counted); a tampered database may have thousands. */
export const SHEET_PROBLEM_LIMIT = 200;
/** Flagged sheets whose single changed mark is searched for from the recorded hash (≤ ~1,000 hashes each). */
const RECOVERY_LIMIT = 50;
const AUDIT_CHUNK = 500;

export interface SheetProblemReport extends SheetProblem {
  sheetId: number;
  entryId: number;
  entryTitle: string | null;
  stage: string;
  expertId: number;
  expertName: string | null;
  /** The rubric item's title when `item` is one. */
  itemTitle: string | null;
  message: string;
}

export interface SheetVerification {
  ok: boolean;
  /** Submitted sheets checked. */
  checked: number;
  sheetsWithProblems: number;
  problemCount: number;
  /** The first SHEET_PROBLEM_LIMIT problems, by sheet id. */
  problems: SheetProblemReport[];
}

interface SheetRow {
  id: number;
  entry_id: number;
  expert_id: number;
  stage: string;
  marks: unknown;
  comments: unknown;
  total: number | null;
  rubric_id: number;
  version: number;
}

interface VersionRow {
  sheet_id: number;
  marks: unknown;
  comments: unknown;
  total: number;
  content_hash: string;
}

interface AuditRow {
  id: number;
  target_id: string;
  actor_expert_id: number | null;
  after: string | null;
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A JSON object column; null when it is not one (a tampered row may hold anything). */
function objectOf(v: unknown): Record<string, unknown> | null {
  try {
    const o: unknown = typeof v === 'string' ? JSON.parse(v) : v;
    return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function contentOf(r: { marks: unknown; comments: unknown }): SheetContent | null {
  const marks = objectOf(r.marks);
  const comments = objectOf(r.comments);
  return marks && comments ? { marks, comments } : null;
}

const inList = (n: number) => Array.from({ length: n }, () => '?').join(',');

export async function verifySheets(m: EntityManager, contestId: number): Promise<SheetVerification> {
  const sheets: SheetRow[] = await m.query(
    "SELECT id, entry_id, expert_id, stage, marks, comments, total, rubric_id, version FROM score_sheets WHERE contest_id = ? AND status = 'submitted' ORDER BY id",
    [contestId],
  );
  const versions: VersionRow[] = await m.query(
    `SELECT v.sheet_id, v.marks, v.comments, v.total, v.content_hash FROM score_sheet_versions v
       JOIN score_sheets s ON s.id = v.sheet_id AND s.version = v.version
      WHERE s.contest_id = ? AND s.status = 'submitted'`,
    [contestId],
  );
  const versionOf = new Map(versions.map((v) => [Number(v.sheet_id), v]));
  const rubricIds = [...new Set(sheets.map((s) => Number(s.rubric_id)))];
  const rubrics: { id: number; items: unknown }[] = rubricIds.length ? await m.query(`SELECT id, items FROM rubrics WHERE id IN (${inList(rubricIds.length)})`, rubricIds) : [];
  const itemsOf = new Map(rubrics.map((r) => [Number(r.id), (typeof r.items === 'string' ? JSON.parse(r.items) : r.items) as RubricItem[]]));

  // The sheet.submit event of each sheet's current version (the last one, should there be several).
  const auditOf = new Map<number, { eventId: number; actorExpertId: number | null; after: Record<string, unknown> }>();
  const versionOfSheet = new Map(sheets.map((s) => [Number(s.id), Number(s.version)]));
  for (let i = 0; i < sheets.length; i += AUDIT_CHUNK) {
    const ids = sheets.slice(i, i + AUDIT_CHUNK).map((s) => String(s.id));
    const events: AuditRow[] = await m.query(
      `SELECT a.id, a.target_id, u.expert_id AS actor_expert_id, a.after FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.target_type = 'score_sheet' AND a.target_id IN (${inList(ids.length)}) AND a.action = 'sheet.submit' ORDER BY a.id`,
      ids,
    );
    for (const e of events) {
      const sheetId = Number(e.target_id);
      const after = objectOf(e.after) ?? {};
      if (after.version !== versionOfSheet.get(sheetId)) continue;
      auditOf.set(sheetId, { eventId: Number(e.id), actorExpertId: numOrNull(e.actor_expert_id), after });
    }
  }

  const found: { sheet: SheetRow; items: RubricItem[] | null; problem: SheetProblem }[] = [];
  let sheetsWithProblems = 0;
  let recoveries = 0;
  for (const s of sheets) {
    const id = Number(s.id);
    const items = itemsOf.get(Number(s.rubric_id)) ?? null;
    const content = contentOf(s);
    const v = versionOf.get(id);
    const vContent = v ? contentOf(v) : null;
    let problems: SheetProblem[];
    if (!content) problems = [{ code: 'content_unreadable', item: null, stored: null, expected: null }];
    else {
      problems = checkSheetIntegrity(
        {
          sheet: { ...content, id, entryId: Number(s.entry_id), expertId: Number(s.expert_id), stage: s.stage, version: Number(s.version), total: numOrNull(s.total) },
          items,
          versionRow: v && vContent ? { ...vContent, total: Number(v.total), contentHash: v.content_hash } : null,
          audit: auditOf.get(id) ?? null,
        },
        { recover: recoveries < RECOVERY_LIMIT },
      );
      if (problems.length) recoveries++;
    }
    if (!problems.length) continue;
    sheetsWithProblems++;
    for (const problem of problems) found.push({ sheet: s, items, problem });
  }

  const shown = found.slice(0, SHEET_PROBLEM_LIMIT);
  const names = await labels(m, shown.map((f) => f.sheet));
  return {
    ok: found.length === 0,
    checked: sheets.length,
    sheetsWithProblems,
    problemCount: found.length,
    problems: shown.map(({ sheet, items, problem }) => {
      const entryId = Number(sheet.entry_id);
      const expertId = Number(sheet.expert_id);
      const itemTitle = problem.item === null ? null : (items?.find((i) => i.key === problem.item)?.title ?? null);
      const report = { sheetId: Number(sheet.id), entryId, entryTitle: names.entries.get(entryId) ?? null, stage: sheet.stage, expertId, expertName: names.experts.get(expertId) ?? null, itemTitle, ...problem };
      return { ...report, message: describe(report) };
    }),
  };
}

async function labels(m: EntityManager, sheets: SheetRow[]) {
  const entryIds = [...new Set(sheets.map((s) => Number(s.entry_id)))];
  const expertIds = [...new Set(sheets.map((s) => Number(s.expert_id)))];
  const entries: { id: number; title: string }[] = entryIds.length ? await m.query(`SELECT id, title FROM entries WHERE id IN (${inList(entryIds.length)})`, entryIds) : [];
  const experts: { id: number; name: string }[] = expertIds.length ? await m.query(`SELECT id, name FROM experts WHERE id IN (${inList(expertIds.length)})`, expertIds) : [];
  return { entries: new Map(entries.map((e) => [Number(e.id), e.title])), experts: new Map(experts.map((x) => [Number(x.id), x.name])) };
}

const STAGE_ZH: Record<string, string> = { material: '材料评审', presentation: '现场发表' };

const WHAT: Record<SheetProblemCode, string> = {
  content_unreadable: '评分内容无法读取',
  rubric_missing: '评分表所用的评分细则不存在',
  mark_missing: '缺少评分',
  mark_unknown_item: '评分细则中没有该评分项',
  mark_invalid: '分值不在评分细则允许的范围内',
  total_mismatch: '总分与各项评分之和不符',
  mark_changed: '评分与提交时记录的内容不符',
  comment_changed: '评语与提交时记录的内容不符',
  content_hash_mismatch: '评分内容与提交时记录的摘要不符',
  version_missing: '缺少提交时写入的版本记录',
  version_altered: '版本记录的内容与其摘要不符',
  version_total_mismatch: '总分与提交时的版本记录不符',
  audit_event_missing: '审计日志中没有该次提交的记录',
  audit_mismatch: '与审计日志中的提交记录不符',
};

/** One line a person can act on: which sheet, whose, which item, stored vs expected. */
function describe(r: Omit<SheetProblemReport, 'message'>): string {
  const who = `评分表 #${r.sheetId}（成果 #${r.entryId}${r.entryTitle ? `「${r.entryTitle}」` : ''}，${STAGE_ZH[r.stage] ?? r.stage}，专家 #${r.expertId}${r.expertName ? ` ${r.expertName}` : ''}）`;
  const item = r.item === null ? '' : `${r.itemTitle ? `评分项「${r.itemTitle}」（${r.item}）` : `「${r.item}」`}：`;
  const values = r.stored !== null || r.expected !== null ? `（现存 ${r.stored ?? '无'}，应为 ${r.expected ?? '无'}）` : '';
  return `${who}${item}${WHAT[r.code]}${values}`;
}
