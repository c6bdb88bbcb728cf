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

export async function rows<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return (await m.query(sql, params)) as T[];
}

/**
 * A datetime parameter, UTC, second precision ('2026-11-27 08:30:00'): what TypeORM writes on SQLite
 * (minus milliseconds, which MySQL's datetime does not keep) and what MySQL reads as UTC with timezone 'Z'.
 */
export function dbDate(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
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
