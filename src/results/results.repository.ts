/**
 * The SQL of the results feature: snapshots (the head row, the rest of the payload, and the entries
 * as rows of result_snapshot_entries), adjustments, and the few labels the routes show. Plain
 * functions over an EntityManager with typed rows: the services call them inside their transactions,
 * the `results:verify` command with a bare DataSource. Raw rows are mapped here and nowhere else.
 */
import { In, type EntityManager } from 'typeorm';
import type { Level } from '../contests/contest-rules.js';
import { Contest } from '../contests/contest.entities.js';
import { Entry } from '../entries/entry.entities.js';
import { ResultAdjustment, ResultSnapshot } from './results.entities.js';
import { expandEntry, payloadFormat, type PayloadEntry, type PayloadFormat, type ResultsPayload, type StoredPayloadEntry } from './results-payload.js';

/** A snapshot's payload as its row stores it: everything but the entries. */
export type PayloadRest = Omit<ResultsPayload, 'entries'>;

/** Entry rows per INSERT at most. */
const INSERT_BATCH = 400;
/**
 * Characters of entry JSON per INSERT at most (at least one row per statement). The driver writes
 * each statement as one string, two bytes per character once a Chinese title is in it: under
 * ~48,000 characters (escapes included) it is an ordinary young object that dies at once, where a
 * statement of 400 rows (~1 million characters) was a 2 MB large object that only a full collection
 * frees, 25 of them per 10,000 entries. Still far below max_allowed_packet.
 */
const INSERT_CHARS = 40_000;
/** Entry rows per SELECT when a whole snapshot is read. */
const READ_BATCH = 2000;

/** The columns of a snapshot without its payload. */
const SNAPSHOT_HEAD = ['s.id', 's.contestId', 's.version', 's.status', 's.hash', 's.reason', 's.createdBy', 's.createdAt', 's.frozenAt', 's.publishedAt'];

interface EntryBodyRow {
  body: unknown;
}

interface EntryLevelRow {
  entry_id: number | string;
  level: string | null;
}

interface NameRow {
  id: number | string;
  name: string;
}

/** A JSON column as the driver gives it: text on MariaDB and SQLite, already parsed on MySQL. */
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');

/** The contest's current snapshot (the highest version not superseded), without its payload. */
export async function currentSnapshot(m: EntityManager, contestId: number): Promise<ResultSnapshot | null> {
  return m.getRepository(ResultSnapshot).createQueryBuilder('s')
    .select(SNAPSHOT_HEAD)
    .where('s.contestId = :contestId', { contestId })
    .andWhere('s.status <> :superseded', { superseded: 'superseded' })
    .orderBy('s.version', 'DESC')
    .limit(1)
    .getOne();
}

/** A snapshot by version, without its payload. */
export async function snapshotByVersion(m: EntityManager, contestId: number, version: number): Promise<ResultSnapshot | null> {
  return m.getRepository(ResultSnapshot).createQueryBuilder('s').select(SNAPSHOT_HEAD).where('s.contestId = :contestId AND s.version = :version', { contestId, version }).getOne();
}

/** The snapshot's payload without its entries (rules, allocation, ties, units, adjustments, …). */
export async function payloadRest(m: EntityManager, snapshotId: number): Promise<PayloadRest> {
  const rows = (await m.query('SELECT payload FROM result_snapshots WHERE id = ?', [snapshotId])) as { payload: unknown }[];
  return json<PayloadRest>(rows[0]?.payload ?? null);
}

/**
 * An entry row's body as readers see it: in format 1's form, a format-2 entry's compact stages
 * expanded (see PAYLOAD_FORMAT). Every read of entries but the recompute check's goes through here.
 */
const entryOf = (body: unknown): PayloadEntry => expandEntry(json<StoredPayloadEntry>(body));

/**
 * The whole payload as stored (rest + every entry in order, compact stages as they are): for the
 * recompute check, which compares all of it and hashes it.
 */
export async function wholePayload(m: EntityManager, snapshotId: number): Promise<ResultsPayload> {
  const rest = await payloadRest(m, snapshotId);
  const entries: StoredPayloadEntry[] = [];
  for (let from = 0; ; from += READ_BATCH) {
    const rows = await entryBodies(m, snapshotId, from, READ_BATCH);
    if (rows.length === 0) break;
    for (const r of rows) entries.push(json<StoredPayloadEntry>(r.body));
  }
  return { ...rest, entries } as ResultsPayload;
}

function entryBodies(m: EntityManager, snapshotId: number, skip: number, take: number): Promise<EntryBodyRow[]> {
  return m.query('SELECT body FROM result_snapshot_entries WHERE snapshot_id = ? AND position >= ? AND position < ? ORDER BY position', [snapshotId, skip, skip + take]) as Promise<EntryBodyRow[]>;
}

/** The snapshot's entries in payload order, READ_BATCH at a time (a keyset over the primary key). */
export async function* snapshotEntries(m: EntityManager, snapshotId: number): AsyncGenerator<PayloadEntry[]> {
  for (let from = 0; ; from += READ_BATCH) {
    const rows = await entryBodies(m, snapshotId, from, READ_BATCH);
    if (rows.length === 0) return;
    yield rows.map((r) => entryOf(r.body));
  }
}

/** One page of the snapshot's entries, in payload order. */
export async function entryPage(m: EntityManager, snapshotId: number, skip: number, take: number): Promise<PayloadEntry[]> {
  return (await entryBodies(m, snapshotId, skip, take)).map((r) => entryOf(r.body));
}

export async function entryCount(m: EntityManager, snapshotId: number): Promise<number> {
  const rows = (await m.query('SELECT COUNT(*) AS n FROM result_snapshot_entries WHERE snapshot_id = ?', [snapshotId])) as { n: number | string }[];
  return Number(rows[0]?.n ?? 0);
}

/** These entries of the snapshot (absent ids are left out). */
export async function snapshotEntriesById(m: EntityManager, snapshotId: number, entryIds: readonly number[]): Promise<Map<number, PayloadEntry>> {
  const out = new Map<number, PayloadEntry>();
  for (let i = 0; i < entryIds.length; i += READ_BATCH) {
    const ids = entryIds.slice(i, i + READ_BATCH);
    const rows = (await m.query(`SELECT body FROM result_snapshot_entries WHERE snapshot_id = ? AND entry_id IN (${marks(ids.length)})`, [snapshotId, ...ids])) as EntryBodyRow[];
    for (const r of rows) {
      const e = entryOf(r.body);
      out.set(e.entryId, e);
    }
  }
  return out;
}

/** The entries with a level shown (what award lists are made of), in payload order. */
export async function awardedEntries(m: EntityManager, snapshotId: number): Promise<PayloadEntry[]> {
  const rows = (await m.query('SELECT body FROM result_snapshot_entries WHERE snapshot_id = ? AND level IS NOT NULL ORDER BY position', [snapshotId])) as EntryBodyRow[];
  return rows.map((r) => entryOf(r.body));
}

/** Every entry's level shown (null: none), without reading the bodies. */
export async function entryLevels(m: EntityManager, snapshotId: number): Promise<Map<number, Level | null>> {
  const rows = (await m.query('SELECT entry_id, level FROM result_snapshot_entries WHERE snapshot_id = ?', [snapshotId])) as EntryLevelRow[];
  return new Map(rows.map((r) => [Number(r.entry_id), (r.level ?? null) as Level | null]));
}

/** Writes a payload: the rest into the snapshot row (inserted or updated), the entries as rows. */
export async function storePayload(m: EntityManager, snapshot: ResultSnapshot, payload: ResultsPayload, insert: boolean): Promise<void> {
  const { entries, ...rest } = payload;
  const repo = m.getRepository(ResultSnapshot);
  snapshot.payload = rest;
  if (insert) await repo.save(snapshot);
  else {
    await repo.update({ id: snapshot.id }, { payload: rest as object, hash: snapshot.hash, reason: snapshot.reason, createdBy: snapshot.createdBy, createdAt: snapshot.createdAt });
    await m.query('DELETE FROM result_snapshot_entries WHERE snapshot_id = ?', [snapshot.id]);
  }
  let params: unknown[] = [];
  let rows = 0;
  let chars = 0;
  const flush = async () => {
    await m.query(`INSERT INTO result_snapshot_entries (snapshot_id, position, entry_id, level, body) VALUES ${Array.from({ length: rows }, () => '(?,?,?,?,?)').join(',')}`, params);
    params = [];
    rows = 0;
    chars = 0;
  };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const body = JSON.stringify(e);
    if (rows > 0 && (rows === INSERT_BATCH || chars + body.length > INSERT_CHARS)) await flush();
    params.push(snapshot.id, i, e.entryId, e.level, body);
    rows++;
    chars += body.length;
  }
  if (rows > 0) await flush();
}

/** The tie-break order a snapshot recorded ([] when absent), read without the rest of the payload. */
export async function storedTieBreakOrder(m: EntityManager, snapshotId: number): Promise<number[]> {
  const rows = (await m.query("SELECT JSON_EXTRACT(payload, '$.tieBreakOrder') AS t FROM result_snapshots WHERE id = ?", [snapshotId])) as { t: unknown }[];
  // JSON text on MariaDB and SQLite; already parsed where the driver types it as JSON (MySQL).
  return (json<number[] | null>(rows[0]?.t ?? null) ?? []);
}

/** The payload format a snapshot was computed in (see PAYLOAD_FORMAT), read without the rest of the payload. */
export async function storedFormat(m: EntityManager, snapshotId: number): Promise<PayloadFormat> {
  const rows = (await m.query("SELECT JSON_EXTRACT(payload, '$.format') AS f FROM result_snapshots WHERE id = ?", [snapshotId])) as { f: unknown }[];
  const f = rows[0]?.f;
  return payloadFormat({ format: typeof f === 'string' ? Number(f) : f });
}

export async function nextVersion(m: EntityManager, contestId: number): Promise<number> {
  const row = await m.getRepository(ResultSnapshot).createQueryBuilder('s').select('MAX(s.version)', 'v').where('s.contestId = :contestId', { contestId }).getRawOne<{ v: number | string | null }>();
  return Number(row?.v ?? 0) + 1;
}

export async function updateSnapshotStatus(m: EntityManager, id: number, from: ResultSnapshot['status'], change: Partial<Pick<ResultSnapshot, 'status' | 'frozenAt' | 'publishedAt'>>): Promise<void> {
  await m.getRepository(ResultSnapshot).update({ id, status: from }, change);
}

export async function contestById(m: EntityManager, id: number): Promise<Contest | null> {
  return m.getRepository(Contest).findOneBy({ id });
}

/** Locks the contest row (MySQL/MariaDB; SQLite serialises writers anyway) and reads it. */
export async function lockContestRow(m: EntityManager, id: number): Promise<Contest | null> {
  if (m.connection.options.type !== 'better-sqlite3') await m.query('SELECT id FROM contests WHERE id = ? FOR UPDATE', [id]);
  return contestById(m, id);
}

export async function insertAdjustment(m: EntityManager, row: Omit<ResultAdjustment, 'id'>): Promise<ResultAdjustment> {
  const repo = m.getRepository(ResultAdjustment);
  const adjustment = repo.create(row);
  await repo.insert(adjustment);
  return adjustment;
}

export async function expertNames(m: EntityManager, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = (await m.query(`SELECT id, name FROM experts WHERE id IN (${marks(ids.length)})`, [...ids])) as NameRow[];
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}

/** Titles of these entries as the entries table has them now (objection lists). */
export async function entryTitles(m: EntityManager, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await m.getRepository(Entry).find({ where: { id: In([...ids]) }, select: { id: true, title: true } });
  return new Map(rows.map((r) => [r.id, r.title]));
}

/** The entry ids a snapshot lists (every entry of the notice list). */
export async function snapshotEntryIds(m: EntityManager, snapshotId: number): Promise<Set<number>> {
  return new Set((await entryLevels(m, snapshotId)).keys());
}
