/**
 * Loads what a computation of the results needs, straight from the raw rows (entries and their
 * labels, assignments, submitted sheets, adjustments), with a few plain SQL queries that run the same
 * on MySQL/MariaDB and SQLite. No Nest here: the `results:verify` command uses it with a bare
 * DataSource, the service inside its transactions.
 */
import type { EntityManager } from 'typeorm';
import type { Contest } from '../contests/contest.entities.js';
import type { Level } from '../contests/contest-rules.js';
import { canonicalHash } from './canonical-json.js';
import { ResultAdjustment, type ResultSnapshot } from './results.entities.js';
import { buildPayload, payloadFormat, STAGES, type AdjustmentFact, type EntryFacts, type ResultsInputFacts, type ResultsPayload, type SheetColumns } from './results-payload.js';
import { diffPayloads, type PayloadDifferences } from './payload-diff.js';
import { canonicalJson } from './canonical-json.js';
import { payloadListHash } from './award-list-builder.js';
import { checkAnchor, loadAnchorEvents, type AnchorVerification } from './snapshot-anchor.js';
import { verifySheets, type SheetVerification } from './sheet-verification.js';
import { wholePayload } from './results.repository.js';
import type { Stage } from '../judging/final-score.js';
import { eachRow } from '../database/each-row.js';

/** Entry states that mean the entry reached the on-site presentation (see DOMAIN.md). */
const JUDGING_STATUSES = ['scheduled', 'presented', 'absent', 'scored', 'awarded', 'not_awarded'];

export interface MissingSheet {
  entryId: number;
  expertId: number;
  stage: Stage;
  /** 'draft' when started, 'not_started' when the expert has no sheet at all. */
  status: 'draft' | 'not_started';
}

export interface LoadedFacts {
  facts: ResultsInputFacts;
  /** Assigned sheets of judged entries (both stages) that are not submitted. */
  missing: MissingSheet[];
}

interface EntryRow {
  id: number;
  title: string;
  /** Null only in a partial draft, which never reaches judging. */
  team_name: string | null;
  status: string;
  track_id: number | null;
  unit_id: number;
  enterprise_id: number;
  attendance: string | null;
  session_panel_id: number | null;
}

interface AssignmentRow {
  entry_id: number;
  expert_id: number;
  panel_id: number;
}

/** A sheet reduced to numbers in SQL (no string per row: 140,000 of them at national scale). */
interface SheetRow {
  entry_id: number;
  expert_id: number;
  /** 1 material, 2 presentation, 0 anything else (see STAGE_BIT). */
  stage_bit: number;
  /** The total (tenths) of a submitted sheet; null for one that is not submitted (a draft). */
  submitted_total: number | null;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const STAGE_BIT: Record<string, number> = { material: 1, presentation: 2 };
const ALL_STAGES = 3;

/**
 * A growing column of numbers in a typed array: appending to one is several times cheaper than to a
 * plain array of 100,000 numbers, and the numbers live outside the garbage-collected heap. Int32
 * (the ids and totals of these tables are INT columns) until a value is not an int32; then Float64,
 * exact for every safe integer.
 */
class NumberColumn {
  private data: Int32Array | Float64Array = new Int32Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length || (this.data instanceof Int32Array && (value | 0) !== value)) {
      const wide = this.data instanceof Float64Array || (value | 0) !== value;
      const grown = wide ? new Float64Array(this.data.length * 2) : new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The numbers pushed, in order (a view, no copy). */
  values(): Int32Array | Float64Array {
    return this.data.subarray(0, this.length);
  }
}

const sheetColumns = () => ({ entryId: new NumberColumn(), expertId: new NumberColumn(), total: new NumberColumn() });

/**
 * The same number, as a small integer where it is one: a number read from a Float64Array is a
 * double, and an object field that ever holds one keeps every value of that field boxed (a heap
 * object each) in all the objects of its shape.
 */
function small(x: number): number {
  const i = x | 0;
  return i === x ? i : x;
}

/** The names (`SELECT id, name …`) by id. */
async function namesOf(m: EntityManager, sql: string, params: unknown[] = []): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  await eachRow<{ id: number; name: string }>(m, sql, params, (r) => {
    names.set(num(r.id), r.name);
  });
  return names;
}

/**
 * The contest's entries that reached judging (a judging status, a presentation slot or an
 * assignment), with labels; the assigned sheets of each, submitted ones as marks and the others as
 * missing. A submitted sheet counts only while its expert is assigned to the entry.
 *
 * Sheets and assignments are read with two plain single-table queries by contest and joined here:
 * on MariaDB that is about three times faster than the same join in SQL (measured at 140,000 sheets).
 * The rows are handled as the driver reads them (eachRow), never collected: at national scale the
 * sheets alone are 140,000 rows, which would otherwise all be alive (and copied by the garbage
 * collector) until the last one arrives.
 *
 * No object per assignment or sheet: the entries are read first (an index per entry id), the
 * assignments into number columns, then grouped by entry in one array (each entry's assignments at
 * offset[i] .. offset[i + 1]), with the submitted / draft stages of each in a byte per assignment.
 * One map lookup per sheet row finds its entry.
 */
export async function loadResultsFacts(m: EntityManager, contest: Pick<Contest, 'id' | 'rules'>): Promise<LoadedFacts> {
  const panelNames = new Map<number, string>();
  await eachRow<{ id: number; name: string }>(m, 'SELECT id, name FROM panels WHERE contest_id = ?', [contest.id], (p) => {
    panelNames.set(num(p.id), p.name);
  });

  // The names of the entries' enterprises, units and tracks, read once each (a contest has thousands
  // of entries and a few dozen units and tracks): one string per name, shared by its entries, none
  // decoded per entry row. Enterprises grow with every year's applicants: those of the contest's
  // entries. Recommending units and tracks are a few dozen or hundred rows in all: read whole (0.4 ms
  // each at 10,000 entries, against 4–7 ms for the same semi-join).
  const enterpriseNames = await namesOf(m, 'SELECT id, name FROM enterprises WHERE id IN (SELECT enterprise_id FROM entries WHERE contest_id = ?)', [contest.id]);
  const unitNames = await namesOf(m, 'SELECT id, name FROM recommending_units');
  const trackNames = await namesOf(m, 'SELECT id, name FROM tracks');

  // Every entry of the contest, with what decides whether it reached judging apart from its
  // assignments (read next): its status or presentation attendance, and its session's panel.
  const all: EntryFacts[] = [];
  const indexOf = new Map<number, number>();
  const judgingByRow: boolean[] = [];
  const sessionPanel: (number | null)[] = [];
  await eachRow<EntryRow>(
    m,
    `SELECT e.id, e.title, e.team_name, e.status, e.track_id, e.unit_id, e.enterprise_id,
            sl.attendance, ps.panel_id AS session_panel_id
       FROM entries e
       LEFT JOIN session_slots sl ON sl.entry_id = e.id
       LEFT JOIN presentation_sessions ps ON ps.id = sl.session_id
      WHERE e.contest_id = ?`,
    [contest.id],
    (r) => {
      const id = num(r.id);
      const enterpriseId = num(r.enterprise_id);
      const unitId = num(r.unit_id);
      const trackId = numOrNull(r.track_id);
      // The first row of an entry is the one its assignments are grouped under (one row per entry
      // unless it has several presentation slots; each row is an entry of the results, as before).
      if (!indexOf.has(id)) indexOf.set(id, all.length);
      judgingByRow.push(JUDGING_STATUSES.includes(r.status) || r.attendance !== null);
      sessionPanel.push(numOrNull(r.session_panel_id));
      all.push({
        entryId: id,
        title: r.title,
        enterpriseId,
        enterpriseName: enterpriseNames.get(enterpriseId) ?? '',
        teamName: r.team_name ?? '',
        unitId,
        unitName: unitNames.get(unitId) ?? '',
        trackId,
        trackName: trackId === null ? null : (trackNames.get(trackId) ?? null),
        panelId: null,
        panelName: null,
        participation: r.status === 'withdrawn' ? 'withdrawn' : r.status === 'absent' || r.attendance === 'absent' ? 'absent' : 'judged',
      });
    },
  );

  // The assignments as columns (row index of their entry, expert, panel); those of unknown entries
  // are dropped (they cannot matter).
  const aRow = new NumberColumn();
  const aExpert = new NumberColumn();
  const aPanel = new NumberColumn();
  const count = new Int32Array(all.length + 1);
  await eachRow<AssignmentRow>(m, 'SELECT entry_id, expert_id, panel_id FROM assignments WHERE contest_id = ?', [contest.id], (r) => {
    const row = indexOf.get(num(r.entry_id));
    if (row === undefined) return;
    aRow.push(row);
    aExpert.push(num(r.expert_id));
    aPanel.push(num(r.panel_id));
    count[row]++;
  });
  // Grouped by entry: entry row i's assignments are at offset[i] .. offset[i] + size[i] (one per
  // expert: a later assignment row for the same expert replaces the earlier one, in its place).
  const offset = new Int32Array(all.length + 1);
  for (let i = 0; i < all.length; i++) offset[i + 1] = offset[i] + count[i];
  const size = new Int32Array(all.length);
  const expertOf = new Float64Array(offset[all.length]);
  const panelOf = new Float64Array(offset[all.length]);
  {
    const rows = aRow.values();
    const experts = aExpert.values();
    const panels = aPanel.values();
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const from = offset[i];
      const to = from + size[i];
      let at = from;
      while (at < to && expertOf[at] !== experts[k]) at++;
      if (at === to) size[i]++;
      expertOf[at] = experts[k];
      panelOf[at] = panels[k];
    }
  }

  // The entries that reached judging, by entry id; the panel of one with assignments is the lowest
  // among them, else its session's.
  const entries: EntryFacts[] = [];
  // Per entry row: 1 when judged (its sheets count), else 0.
  const judged = new Uint8Array(all.length);
  for (let row = 0; row < all.length; row++) {
    const e = all[row];
    const i = indexOf.get(e.entryId)!;
    const n = size[i];
    if (!judgingByRow[row] && n === 0) continue;
    let panelId: number | null = sessionPanel[row];
    if (n > 0) {
      panelId = panelOf[offset[i]];
      for (let at = offset[i] + 1; at < offset[i] + n; at++) if (panelOf[at] < panelId) panelId = panelOf[at];
      panelId = small(panelId);
    }
    e.panelId = panelId;
    e.panelName = panelId === null ? null : (panelNames.get(panelId) ?? null);
    if (e.participation === 'judged') judged[i] = 1;
    entries.push(e);
  }
  entries.sort((a, b) => a.entryId - b.entryId);

  // Columns of numbers per stage, not an object per sheet (see SheetColumns): the core makes each
  // sheet's one object, the mark its result keeps. The stages of each assignment with a submitted
  // sheet (low two bits) and with a draft (the next two), as bit masks.
  const stagesOf = new Uint8Array(offset[all.length]);
  const columns = { material: sheetColumns(), presentation: sheetColumns() };
  await eachRow<SheetRow>(
    m,
    `SELECT entry_id, expert_id,
            CASE stage WHEN 'material' THEN 1 WHEN 'presentation' THEN 2 ELSE 0 END AS stage_bit,
            CASE WHEN status = 'submitted' THEN total END AS submitted_total
       FROM score_sheets WHERE contest_id = ?`,
    [contest.id],
    (r) => {
      const entryId = num(r.entry_id);
      const i = indexOf.get(entryId);
      if (i === undefined || judged[i] === 0) return;
      const expertId = num(r.expert_id);
      const to = offset[i] + size[i];
      let at = offset[i];
      while (at < to && expertOf[at] !== expertId) at++;
      const bit = num(r.stage_bit);
      if (at === to || bit === 0) return;
      if (r.submitted_total !== null) {
        stagesOf[at] |= bit;
        const c = bit === 1 ? columns.material : columns.presentation;
        c.entryId.push(entryId);
        c.expertId.push(expertId);
        c.total.push(num(r.submitted_total));
      } else {
        stagesOf[at] |= bit << 2;
      }
    },
  );

  const missing: MissingSheet[] = [];
  for (const e of entries) {
    if (e.participation !== 'judged') continue;
    const i = indexOf.get(e.entryId)!;
    const from = offset[i];
    const to = from + size[i];
    let complete = true;
    for (let at = from; at < to; at++) if ((stagesOf[at] & ALL_STAGES) !== ALL_STAGES) complete = false;
    if (complete) continue;
    const order: number[] = [];
    for (let at = from; at < to; at++) order.push(at);
    order.sort((x, y) => expertOf[x] - expertOf[y]);
    for (const at of order) {
      const submitted = stagesOf[at] & ALL_STAGES;
      if (submitted === ALL_STAGES) continue;
      for (const stage of STAGES) {
        const bit = STAGE_BIT[stage]!;
        if (!(submitted & bit)) missing.push({ entryId: e.entryId, expertId: small(expertOf[at]), stage, status: (stagesOf[at] >> 2) & bit ? 'draft' : 'not_started' });
      }
    }
  }
  const sheets: SheetColumns = {
    material: { entryId: columns.material.entryId.values(), expertId: columns.material.expertId.values(), total: columns.material.total.values() },
    presentation: { entryId: columns.presentation.entryId.values(), expertId: columns.presentation.expertId.values(), total: columns.presentation.total.values() },
  };
  return { facts: { contestId: contest.id, rules: contest.rules, entries, sheets }, missing };
}

/** A stored datetime as ISO 8601 in whole seconds (MySQL keeps no milliseconds in `datetime`). */
export function isoSeconds(d: Date | string): string {
  const t = new Date(d);
  t.setUTCMilliseconds(0);
  return t.toISOString();
}

export function toAdjustmentFact(a: ResultAdjustment): AdjustmentFact {
  return { id: a.id, entryId: a.entryId, level: (a.level ?? null) as Level | null, reason: a.reason, createdBy: a.createdBy, createdAt: isoSeconds(a.createdAt) };
}

/** The contest's adjustments (all, or those with these ids), oldest first. */
export async function loadAdjustments(m: EntityManager, contestId: number, ids?: readonly number[]): Promise<AdjustmentFact[]> {
  if (ids && ids.length === 0) return [];
  const qb = m.getRepository(ResultAdjustment).createQueryBuilder('a').where('a.contestId = :contestId', { contestId }).orderBy('a.id', 'ASC');
  if (ids) qb.andWhere('a.id IN (:...ids)', { ids: [...ids] });
  return (await qb.getMany()).map(toAdjustmentFact);
}

export interface Verification {
  ok: boolean;
  snapshotId: number;
  version: number;
  status: string;
  storedHash: string;
  recomputedHash: string;
  /** The stored payload still hashes to the stored hash (nobody edited the snapshot row). */
  payloadIntact: boolean;
  /** Assigned sheets that are not submitted now (the recomputation used the submitted ones). */
  missingSheetCount: number;
  /** Adjustments named by the snapshot that are no longer in the database. */
  missingAdjustmentIds: number[];
  differences: PayloadDifferences;
  /** The stored hash and the public list hash against the audit events that froze/published them. */
  anchor: AnchorVerification;
  /** Every submitted sheet: total from its marks, content against the hash recorded at submission. */
  sheets: SheetVerification;
}

/**
 * Recomputes a snapshot from the raw rows (submitted sheets, entries, labels, the contest's rules)
 * with the snapshot's own tie-break order and adjustments (re-read from the database by id), and
 * compares the hashes; checks the stored hash against its audit anchor and every submitted sheet
 * against its marks, version row and audit event. Nothing is written.
 */
export async function verifySnapshot(m: EntityManager, contest: Pick<Contest, 'id' | 'rules'>, snapshot: Pick<ResultSnapshot, 'id' | 'version' | 'status' | 'hash'>): Promise<Verification> {
  let stored: ResultsPayload;
  try {
    stored = await wholePayload(m, snapshot.id);
  } catch {
    // A row edited into something that is not JSON: nothing of it can be compared.
    stored = null as unknown as ResultsPayload;
  }
  const { facts, missing } = await loadResultsFacts(m, contest);
  const wantedIds = Array.isArray(stored?.adjustments) ? stored.adjustments.map((a) => a.id) : [];
  const adjustments = await loadAdjustments(m, contest.id, wantedIds);
  const found = new Set(adjustments.map((a) => a.id));
  // In the snapshot's own format: a format-1 snapshot recomputes exactly as it was computed.
  const recomputed = buildPayload(facts, { tieBreakOrder: Array.isArray(stored?.tieBreakOrder) ? stored.tieBreakOrder : [], adjustments, format: payloadFormat(stored) });
  const recomputedHash = canonicalHash(recomputed);
  let payloadIntact: boolean;
  try {
    payloadIntact = canonicalHash(stored) === snapshot.hash;
  } catch {
    payloadIntact = false;
  }
  let listHash: string | null;
  try {
    listHash = payloadListHash(stored, { contestId: contest.id, version: snapshot.version, hash: snapshot.hash }, !!contest.rules.showScoresPublicly);
  } catch {
    listHash = null;
  }
  const anchor = checkAnchor(await loadAnchorEvents(m, contest.id), snapshot, listHash);
  const sheets = await verifySheets(m, contest.id);
  const resultsMatch = recomputedHash === snapshot.hash && payloadIntact;
  const ok = resultsMatch && anchor.ok && sheets.ok;
  return {
    ok,
    snapshotId: snapshot.id,
    version: snapshot.version,
    status: snapshot.status,
    storedHash: snapshot.hash,
    recomputedHash,
    payloadIntact,
    missingSheetCount: missing.length,
    missingAdjustmentIds: wantedIds.filter((id) => !found.has(id)),
    differences: resultsMatch ? { sections: [], entries: [], entryCount: 0 } : diffPayloads(stored, recomputed, canonicalJson),
    anchor,
    sheets,
  };
}
