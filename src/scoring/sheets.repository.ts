// The SQL of score sheets and their versions: typed rows as the drivers return them, and one mapper
// per table (toSheet for score_sheets, toVersion for score_sheet_versions, rubric items for rubrics).
// The same statements run on MySQL/MariaDB (mysql2) and SQLite (better-sqlite3): see sql.ts.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../common/errors.js';
import type { Stage } from '../contests/contest.entities.js';
import type { RubricItem } from '../judging/rubric.js';
import type { SheetStatus } from './scoring.entities.js';
import { batch, dbDate, exec, num, parseJson, readDate, rows, type Statement, supportsBatch } from './sql.js';

/** A score sheet as the use cases handle it (marks and totals in tenths). */
export interface SheetState {
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

/** The columns of score_sheets as every query here selects them (SHEET_COLUMNS); null when LEFT JOINed and absent. */
export interface SheetRow {
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

const SHEET_COLUMNS = `s.id AS sheetId, s.status AS status, s.marks AS marks, s.comments AS comments, s.total AS total,
  s.rubric_id AS rubricId, s.version AS version, s.lock_version AS lockVersion, s.reopen_reason AS reopenReason,
  s.submitted_at AS submittedAt, s.created_at AS createdAt, s.updated_at AS updatedAt`;

/** The one mapper of score_sheets rows. */
export function toSheet(row: SheetRow): SheetState | null {
  if (row.sheetId === null || row.sheetId === undefined) return null;
  return {
    id: Number(row.sheetId),
    status: row.status as SheetStatus,
    marks: parseJson<Record<string, number>>(row.marks, {}),
    comments: parseJson<Record<string, string>>(row.comments, {}),
    total: row.total === null || row.total === undefined ? null : Number(row.total),
    rubricId: Number(row.rubricId),
    version: Number(row.version),
    lockVersion: Number(row.lockVersion),
    reopenReason: row.reopenReason ?? null,
    submittedAt: readDate(row.submittedAt),
    createdAt: readDate(row.createdAt),
    updatedAt: readDate(row.updatedAt),
  };
}

/** One row of the scoring context: everything a read, draft or submit needs, in one query. */
export interface ContextRow extends SheetRow {
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
  /** The caller's audit chain head (its seq and last hash), read with the context for the submit's audit link. */
  chainSeq: number | null;
  chainHash: string | null;
}

/**
 * The scoring context in ONE round trip: entry and contest phase, the assignment, declared and
 * automatic conflicts (the expert's employer), attendance and the session's sign-off, the current
 * rubric id, the expert's sheet and the caller's audit chain head. Every join hits a primary or
 * unique key (at most one row each: uq_assignments, uq_declared_conflicts, uq_session_slots_entry,
 * uq_score_sheets, the chain head's primary key; the rubric by uq_rubrics_version). LEFT JOINs
 * rather than scalar subqueries: about 3× cheaper to plan on MariaDB.
 */
const contextColumns = (stage: string) => `e.id AS entryId, e.contest_id AS contestId, e.entry_type AS entryType, e.title AS title,
  e.enterprise_id AS enterpriseId, e.unit_id AS unitId, c.phase AS phase,
  (SELECT r.id FROM rubrics r WHERE r.contest_id = e.contest_id AND r.entry_type = e.entry_type AND r.stage = ${stage}
     ORDER BY r.version DESC LIMIT 1) AS currentRubricId,
  a.id AS assignmentId, d.reason AS declaredReason,
  x.id AS expertId, x.employer_enterprise_id AS employerEnterpriseId, x.employer_unit_id AS employerUnitId,
  ss.attendance AS attendance, ss.session_id AS sessionId, ps.signed_off_at AS signedOffAt,
  h.seq AS chainSeq, h.last_hash AS chainHash,
  ${SHEET_COLUMNS}`;
/** The joins of the context: `expert`, `chainKey` and `stage` are placeholders or the columns of a key table. */
const contextJoins = (expert: string, chainKey: string, stage: string) => `
JOIN contests c ON c.id = e.contest_id
LEFT JOIN assignments a ON a.expert_id = ${expert} AND a.entry_id = e.id
LEFT JOIN experts x ON x.id = ${expert}
LEFT JOIN declared_conflicts d ON d.expert_id = ${expert} AND d.entry_id = e.id
LEFT JOIN session_slots ss ON ss.entry_id = e.id
LEFT JOIN presentation_sessions ps ON ps.id = ss.session_id
LEFT JOIN audit_chain_heads h ON h.chain_key = ${chainKey}
LEFT JOIN score_sheets s ON s.expert_id = ${expert} AND s.entry_id = e.id AND s.stage = ${stage}`;
const CONTEXT_SQL = `SELECT ${contextColumns('?')}
FROM entries e${contextJoins('?', '?', '?')}
WHERE e.id = ?`;

/**
 * The same context for several sheets in one statement: the keys as a derived table (constant rows,
 * UNION ALL) joined like CONTEXT_SQL. Planned once for the whole batch: on MariaDB about 5× cheaper
 * at 24 sheets than one part per sheet UNION ALL (each part planned on its own). On MySQL/MariaDB
 * `straight`: the keys first, then each entry by its primary key (STRAIGHT_JOIN). Left to itself,
 * MariaDB 10.11 read every entry of the contest through ix_entries_contest_status and matched the
 * keys against them: 928 index reads for 50 sheets of a 600-entry contest (growing with the contest),
 * 378 with the keys first; the statement 1.6–1.8 → 1.1–1.4 ms.
 */
const contextsSql = (n: number, straight: boolean) => `SELECT q.k AS k, ${contextColumns('q.stage')}
FROM (SELECT ? AS k, ? AS entry_id, ? AS expert_id, ? AS stage, ? AS chain_key${' UNION ALL SELECT ?, ?, ?, ?, ?'.repeat(n - 1)}) q
${straight ? 'STRAIGHT_JOIN' : 'JOIN'} entries e ON e.id = q.entry_id${contextJoins('q.expert_id', 'q.chain_key', 'q.stage')}`;

/** Who asks for which sheet's context (see SheetsRepository.context). */
export interface ContextKey {
  expertId: number | null;
  chainKey: string;
  entryId: number;
  stage: Stage;
}

const contextParams = (c: ContextKey): unknown[] => {
  // An expert account without an expert record scores nothing; -1 matches no row.
  const x = c.expertId ?? -1;
  return [c.stage, x, x, x, c.chainKey, x, c.stage, c.entryId];
};

const INSERT_SHEETS_SQL = `INSERT INTO score_sheets
  (contest_id, entry_id, expert_id, stage, status, marks, comments, total, rubric_id, version, lock_version, reopen_reason, submitted_at, created_at, updated_at)
  VALUES`;
const INSERT_SHEET_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?)';
export const INSERT_SHEET_SQL = `${INSERT_SHEETS_SQL} ${INSERT_SHEET_ROW}`;

export const UPDATE_SHEET_SQL = `UPDATE score_sheets
  SET status = ?, marks = ?, comments = ?, total = ?, version = ?, lock_version = lock_version + 1, submitted_at = ?, updated_at = ?
  WHERE id = ? AND lock_version = ?`;

const INSERT_VERSIONS_SQL = `INSERT INTO score_sheet_versions
  (sheet_id, version, marks, comments, total, content_hash, submitted_by, submitted_at) VALUES`;
const INSERT_VERSION_ROW = '(?, ?, ?, ?, ?, ?, ?, ?)';
export const INSERT_VERSION_SQL = `${INSERT_VERSIONS_SQL} ${INSERT_VERSION_ROW}`;

/** score_sheet_versions as selected. */
export interface VersionRow {
  id: number;
  sheetId: number;
  version: number;
  marks: string;
  comments: string;
  total: number;
  contentHash: string;
  submittedBy: number;
  submittedAt: unknown;
}

export interface SheetVersion {
  id: number;
  sheetId: number;
  version: number;
  marks: Record<string, number>;
  comments: Record<string, string>;
  total: number;
  contentHash: string;
  submittedBy: number;
  submittedAt: Date | null;
}

/** The one mapper of score_sheet_versions rows. */
export function toVersion(v: VersionRow): SheetVersion {
  return {
    id: Number(v.id),
    sheetId: Number(v.sheetId),
    version: Number(v.version),
    marks: parseJson<Record<string, number>>(v.marks, {}),
    comments: parseJson<Record<string, string>>(v.comments, {}),
    total: Number(v.total),
    contentHash: String(v.contentHash),
    submittedBy: Number(v.submittedBy),
    submittedAt: readDate(v.submittedAt),
  };
}

/** A sheet as the organizer reads it: with its expert, entry, contest phase and the entry's session. */
export interface OrganizerSheetRow extends SheetRow {
  contestId: number;
  entryId: number;
  expertId: number;
  stage: Stage;
  expertName: string | null;
  entryTitle: string;
  phase: string;
  sessionId: number | null;
  sessionSignedOffAt: unknown;
}

/** A line of an expert's or an entry's sheet list. */
export interface SheetListRow extends SheetRow {
  contestId: number;
  entryId: number;
  entryTitle: string;
  stage: Stage;
  expertId: number;
  expertName: string | null;
  expertEmployer: string | null;
}

@Injectable()
export class SheetsRepository {
  /** Rubric rows never change once written: their items are cached by id (safe across instances). */
  private readonly rubricCache = new Map<number, readonly RubricItem[]>();

  /** The items of a rubric (the mapper of rubrics rows), frozen and cached. */
  async rubricItems(m: EntityManager, id: number): Promise<readonly RubricItem[]> {
    const hit = this.rubricCache.get(id);
    if (hit) return hit;
    const [row] = await rows<{ items: string }>(m, 'SELECT items FROM rubrics WHERE id = ?', [id]);
    if (!row) throw AppError.conflict('rubric_missing');
    const items = Object.freeze(parseJson<RubricItem[]>(row.items, []).map((i) => Object.freeze({ ...i })));
    this.rubricCache.set(id, items);
    return items;
  }

  /** The scoring context of an expert × entry × stage (CONTEXT_SQL); 404 when the entry does not exist. */
  async context(m: EntityManager, expertId: number | null, chainKey: string, entryId: number, stage: Stage): Promise<ContextRow> {
    const [row] = await rows<ContextRow>(m, CONTEXT_SQL, contextParams({ expertId, chainKey, entryId, stage }));
    if (!row) throw AppError.notFound();
    return row;
  }

  /**
   * The contexts of several sheets in ONE query (the group-committed submit), each row found by the
   * same primary/unique-key lookups as context(), after `before` in the same round trip. Index i of
   * the answer is keys[i]'s row, undefined when its entry does not exist.
   */
  async contexts(m: EntityManager, keys: readonly ContextKey[], before: readonly Statement[] = []): Promise<(ContextRow | undefined)[]> {
    if (!keys.length) return [];
    // An expert account without an expert record scores nothing; -1 matches no row.
    const params = keys.flatMap((c, i) => [i, c.entryId, c.expertId ?? -1, c.stage, c.chainKey]);
    const read = { sql: contextsSql(keys.length, supportsBatch(m)), params };
    // `before`: statements sent in the same round trip (a pipelined transaction's BEGIN).
    const list = (before.length ? (await batch(m, [...before, read])).at(-1)!.rows : await rows(m, read.sql, read.params)) as (ContextRow & { k: unknown })[];
    const out: (ContextRow | undefined)[] = new Array(keys.length);
    for (const r of list) out[Number(r.k)] = r;
    return out;
  }

  /** Rare path (an automatic conflict of an unassigned expert): is the expert on a panel judging the entry? */
  async onPanelOfEntry(m: EntityManager, expertId: number, entryId: number): Promise<boolean> {
    const [r] = await rows<{ n: unknown }>(
      m,
      `SELECT COUNT(*) AS n FROM panel_members pm WHERE pm.expert_id = ? AND (
         pm.panel_id IN (SELECT ps.panel_id FROM session_slots ss JOIN presentation_sessions ps ON ps.id = ss.session_id WHERE ss.entry_id = ?)
         OR pm.panel_id IN (SELECT a.panel_id FROM assignments a WHERE a.entry_id = ?))`,
      [expertId, entryId, entryId],
    );
    return num(r?.n) > 0;
  }

  /** Inserts a sheet; a parallel first insert makes the unique key (expert, entry, stage) refuse one. */
  async insertSheet(m: EntityManager, s: NewSheet): Promise<number> {
    const res = await exec(m, INSERT_SHEET_SQL, insertSheetParams(s));
    return res.insertId;
  }

  /** Updates a sheet if its lock_version is still the one read; false when a concurrent writer won. */
  async updateSheet(m: EntityManager, id: number, lockVersion: number, s: SheetWrite): Promise<boolean> {
    const res = await exec(m, UPDATE_SHEET_SQL, updateSheetParams(id, lockVersion, s));
    return res.affected === 1;
  }

  /** Writes a submitted version; the unique key (sheet, version) refuses a second one. */
  async insertVersion(m: EntityManager, v: NewVersion): Promise<void> {
    await exec(m, INSERT_VERSION_SQL, insertVersionParams(v));
  }

  /**
   * Submitted sheets of a group commit in ONE round trip: the new ones in one multi-row insert (a
   * sheet that appeared meanwhile makes the unique key refuse it: the batch runs again) with their ids
   * — on MariaDB returned by the insert itself (RETURNING, in the order of its rows), elsewhere read
   * back by that unique key — and each draft updated on the lock_version read. The new sheets' ids in
   * order; `updated` false when some draft's lock_version had moved (a concurrent writer won).
   */
  async writeSubmitted(m: EntityManager, inserts: readonly NewSheet[], updates: readonly SheetUpdate[]): Promise<{ ids: number[]; updated: boolean }> {
    const statements: Statement[] = [];
    // MariaDB ≥ 10.5 (TypeORM's driver tells): the ids without a second statement (bench:scoring:
    // MariaDB's time for the batch's lookup by 50 unique keys, ≈ 0.5 ms of its ≈ 10 ms, is saved).
    const returning = inserts.length > 0 && supportsBatch(m) && m.connection.driver.isReturningSqlSupported('insert');
    if (inserts.length) {
      const insert = `${INSERT_SHEETS_SQL} ${inserts.map(() => INSERT_SHEET_ROW).join(', ')}`;
      statements.push({ sql: returning ? `${insert} RETURNING id` : insert, params: inserts.flatMap(insertSheetParams) });
      if (!returning) {
        statements.push({
          sql: `SELECT id, expert_id AS expertId, entry_id AS entryId, stage FROM score_sheets WHERE ${inserts.map(() => '(expert_id = ? AND entry_id = ? AND stage = ?)').join(' OR ')}`,
          params: inserts.flatMap((s) => [s.expertId, s.entryId, s.stage]),
        });
      }
    }
    const firstUpdate = statements.length;
    for (const u of updates) statements.push({ sql: UPDATE_SHEET_SQL, params: updateSheetParams(u.id, u.lockVersion, u) });
    const results = await batch(m, statements);
    let ids: number[];
    if (returning) {
      ids = results[0]!.rows.map((r) => num(r.id));
      if (ids.length !== inserts.length) throw new Error(`score sheets: ${inserts.length} inserted, ${ids.length} ids returned`);
    } else {
      const idOf = new Map((results[1]?.rows ?? []).map((r) => [`${num(r.expertId)}:${num(r.entryId)}:${String(r.stage)}`, num(r.id)]));
      ids = inserts.map((s) => {
        const id = idOf.get(`${s.expertId}:${s.entryId}:${s.stage}`);
        if (id === undefined) throw new Error(`score sheet ${s.expertId}:${s.entryId}:${s.stage} not found after its insert`);
        return id;
      });
    }
    return { ids, updated: results.slice(firstUpdate).every((r) => r.affected === 1) };
  }

  /** Versions in one multi-row insert (the unique key (sheet, version) refuses a second one), with `more` statements in the same round trip; the results of `more`. */
  async insertVersions(m: EntityManager, versions: readonly NewVersion[], more: readonly Statement[]): Promise<{ affected: number }[]> {
    const statements: Statement[] = [];
    if (versions.length) statements.push({ sql: `${INSERT_VERSIONS_SQL} ${versions.map(() => INSERT_VERSION_ROW).join(', ')}`, params: versions.flatMap(insertVersionParams) });
    const results = await batch(m, [...statements, ...more]);
    return results.slice(statements.length);
  }

  /** A submitted sheet of the organizer's view; 404 when there is none. */
  async organizerRow(m: EntityManager, id: number): Promise<OrganizerSheetRow> {
    const [row] = await rows<OrganizerSheetRow>(
      m,
      `SELECT ${SHEET_COLUMNS}, s.contest_id AS contestId, s.entry_id AS entryId, s.expert_id AS expertId, s.stage AS stage,
         x.name AS expertName, e.title AS entryTitle, c.phase AS phase, ss.session_id AS sessionId, ps.signed_off_at AS sessionSignedOffAt
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

  async versions(m: EntityManager, sheetId: number): Promise<SheetVersion[]> {
    const list = await rows<VersionRow>(
      m,
      `SELECT id, sheet_id AS sheetId, version, marks, comments, total, content_hash AS contentHash, submitted_by AS submittedBy, submitted_at AS submittedAt
       FROM score_sheet_versions WHERE sheet_id = ? ORDER BY version`,
      [sheetId],
    );
    return list.map(toVersion);
  }

  async entryExists(m: EntityManager, entryId: number): Promise<boolean> {
    const [entry] = await rows<{ id: unknown }>(m, 'SELECT id FROM entries WHERE id = ?', [entryId]);
    return !!entry;
  }

  /** Every sheet of an entry, experts by name. */
  async listOfEntry(m: EntityManager, entryId: number): Promise<SheetListRow[]> {
    return rows<SheetListRow>(
      m,
      `SELECT ${SHEET_COLUMNS}, s.contest_id AS contestId, s.entry_id AS entryId, '' AS entryTitle, s.stage AS stage, s.expert_id AS expertId,
         x.name AS expertName, x.employer_name AS expertEmployer
       FROM score_sheets s LEFT JOIN experts x ON x.id = s.expert_id WHERE s.entry_id = ? ORDER BY s.stage, x.name, s.id`,
      [entryId],
    );
  }

  /** One page of sheets matching `where` (over score_sheets s JOIN entries e), newest change first, and their count. */
  async page(m: EntityManager, where: string, params: unknown[], take: number, skip: number): Promise<{ list: SheetListRow[]; total: number }> {
    const [count] = await rows<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM score_sheets s JOIN entries e ON e.id = s.entry_id WHERE ${where}`, params);
    const list = await rows<SheetListRow>(
      m,
      `SELECT ${SHEET_COLUMNS}, s.contest_id AS contestId, s.entry_id AS entryId, e.title AS entryTitle, s.stage AS stage, s.expert_id AS expertId,
         NULL AS expertName, NULL AS expertEmployer
       FROM score_sheets s JOIN entries e ON e.id = s.entry_id WHERE ${where}
       ORDER BY s.updated_at DESC, s.id DESC LIMIT ? OFFSET ?`,
      [...params, take, skip],
    );
    return { list, total: num(count?.n) };
  }

  /** Back to draft with a reason, if still at the lock_version read; false when a concurrent writer won. */
  async reopen(m: EntityManager, id: number, lockVersion: number, reason: string, now: Date): Promise<boolean> {
    const res = await exec(m, `UPDATE score_sheets SET status = 'draft', reopen_reason = ?, lock_version = lock_version + 1, updated_at = ? WHERE id = ? AND lock_version = ?`, [
      reason,
      dbDate(now),
      id,
      lockVersion,
    ]);
    return res.affected === 1;
  }
}

/** What a sheet write sets (marks and comments as JSON). */
export interface SheetWrite {
  status: SheetStatus;
  marks: string;
  comments: string;
  total: number | null;
  version: number;
  submittedAt: Date | null;
  now: Date;
}

export interface NewSheet extends SheetWrite {
  contestId: number;
  entryId: number;
  expertId: number;
  stage: Stage;
  rubricId: number;
}

export interface SheetUpdate extends SheetWrite {
  id: number;
  /** The lock_version read: the update matches only while it is still this. */
  lockVersion: number;
}

export function insertSheetParams(s: NewSheet): unknown[] {
  return [s.contestId, s.entryId, s.expertId, s.stage, s.status, s.marks, s.comments, s.total, s.rubricId, s.version, s.submittedAt ? dbDate(s.submittedAt) : null, dbDate(s.now), dbDate(s.now)];
}

export function updateSheetParams(id: number, lockVersion: number, s: SheetWrite): unknown[] {
  return [s.status, s.marks, s.comments, s.total, s.version, s.submittedAt ? dbDate(s.submittedAt) : null, dbDate(s.now), id, lockVersion];
}

export interface NewVersion {
  sheetId: number;
  version: number;
  marks: string;
  comments: string;
  total: number;
  contentHash: string;
  submittedBy: number | null;
  submittedAt: Date;
}

export function insertVersionParams(v: NewVersion): unknown[] {
  return [v.sheetId, v.version, v.marks, v.comments, v.total, v.contentHash, v.submittedBy, dbDate(v.submittedAt)];
}
