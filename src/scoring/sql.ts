// Small helpers for the raw SQL of the scoring hot path: the same statements run on MySQL/MariaDB
// (mysql2) and SQLite (better-sqlite3), whose drivers differ in what they return.
import type { EntityManager } from 'typeorm';

export interface ExecResult {
  affected: number;
  insertId: number;
}

/** Runs a write through the manager's query runner and returns affected rows and the new id on both drivers. */
export async function exec(m: EntityManager, sql: string, params: unknown[]): Promise<ExecResult> {
  const runner = m.queryRunner;
  if (!runner) throw new Error('exec() needs a transactional entity manager');
  const res = await runner.query(sql, params, true);
  const raw = res.raw as { insertId?: number } | number | bigint | undefined;
  // mysql2: a ResultSetHeader with insertId; better-sqlite3: lastInsertRowid itself.
  const insertId = typeof raw === 'object' && raw !== null ? Number(raw.insertId ?? 0) : Number(raw ?? 0);
  return { affected: Number(res.affected ?? 0), insertId };
}

/** One statement of a batch: its SQL with `?` placeholders and the bound values. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** What one statement of a batch returned: affected rows of a write, rows of a SELECT. */
export interface StatementResult {
  affected: number;
  rows: Record<string, unknown>[];
}

/**
 * Runs several statements in ONE round trip on MySQL/MariaDB (a multi-statement query: the
 * connections allow them, see data-source.ts; values are always bound, never concatenated), one after
 * the other on SQLite (in-process: no round trip to save). The server stops at the first failing
 * statement and the error rejects the call: the caller's transaction rolls back. One result per statement.
 */
export async function batch(m: EntityManager, statements: readonly Statement[]): Promise<StatementResult[]> {
  const runner = m.queryRunner;
  if (!runner) throw new Error('batch() needs a transactional entity manager');
  if (!statements.length) return [];
  if (!supportsBatch(m)) {
    const out: StatementResult[] = [];
    for (const s of statements) {
      const res = await runner.query(s.sql, s.params, true);
      out.push({ affected: Number(res.affected ?? 0), rows: Array.isArray(res.records) ? (res.records as Record<string, unknown>[]) : [] });
    }
    return out;
  }
  const res = await runner.query(statements.map((s) => s.sql).join(';\n'), statements.flatMap((s) => s.params), true);
  // mysql2: one result per statement for several (rows of a SELECT, a ResultSetHeader of a write), the result itself for one.
  const raw = statements.length === 1 ? [res.raw] : (res.raw as unknown[]);
  return raw.map((r) => (Array.isArray(r) ? { affected: 0, rows: r as Record<string, unknown>[] } : { affected: Number((r as { affectedRows?: number } | undefined)?.affectedRows ?? 0), rows: [] }));
}

/** Whether batch() sends one round trip (MySQL/MariaDB) rather than one statement at a time (SQLite). */
export function supportsBatch(m: EntityManager): boolean {
  const type = m.dataSource.driver.options.type;
  return type === 'mysql' || type === 'mariadb';
}

/** `?, ?, ?` for the values of an `IN (…)` list, one per value (the values are always bound, never written into the SQL). */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

export async function rows<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return (await m.query(sql, params)) as T[];
}

/**
 * A datetime parameter, UTC, second precision ('2026-11-27 08:30:00'): what TypeORM writes on SQLite
 * (minus milliseconds, which MySQL's datetime does not keep) and what MySQL reads as UTC with timezone 'Z'.
 */
export const dbDate = keepingLastText((d) => d.toISOString().slice(0, 19).replace('T', ' '));

/**
 * A date's text, the last date's kept: a submit batch writes one `now` a few hundred times (its
 * toISOString was ≈ 3 % of the service's profile in bench:scoring). A date that cannot be written
 * (invalid) throws each time, as `text` does, and keeps nothing.
 */
export function keepingLastText(text: (d: Date) => string): (d: Date) => string {
  let ms = Number.NaN;
  let kept = '';
  return (d) => {
    const t = d.getTime();
    if (t !== ms) {
      kept = text(d);
      ms = t;
    }
    return kept;
  };
}

/** A datetime column from a raw row: a Date from mysql2, a UTC string from SQLite. */
export function readDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}

/** COUNT and SUM come back as numbers, bigints or decimal strings depending on the driver. */
export function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

export function parseJson<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export { isDuplicateKey, isTransient } from '../database/db-errors.js';
