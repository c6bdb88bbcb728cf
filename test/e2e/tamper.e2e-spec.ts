// Tampering with the database directly (raw SQL through the test's DataSource) after publication:
// every change must be found by the results verification (route and CLI) or the audit chain check,
// naming what was changed; the public list's hash must expose a changed snapshot to anyone. Each case
// restores what it changed, so the cases are independent.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { resultsContest, type ResultsScenario } from '../factories/results.js';
import { verifyCommand } from '../../src/results/verify-command.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * The documented client-side check, written independently of the service's code: canonical JSON
 * (keys sorted, no whitespace) of {contestId, version, hash, levels, excellentUnits} of the body.
 */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
function listHashOf(body: { contest: { id: number }; version: number; hash: string; levels: unknown; excellentUnits: unknown }): string {
  const hashed = { contestId: body.contest.id, version: body.version, hash: body.hash, levels: body.levels, excellentUnits: body.excellentUnits };
  return createHash('sha256').update(canonical(hashed), 'utf8').digest('hex');
}

interface SheetRow { id: number; marks: string; total: number; version: number }
interface Problem { code: string; sheetId: number; entryId: number; expertId: number; expertName: string | null; item: string | null; itemTitle: string | null; stored: string | null; expected: string | null; message: string }

describe(`tampering with the database is detected (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let base: string;
  let sheet: SheetRow;
  let expertName: string;
  const entryId = () => s.entries[1]!.id;
  const expertId = () => s.experts[1]!.id;
  const verify = async () => (await t.http().post(`${base}/results/verify`).set(auth(s.organizer)).expect(200)).body;
  const cliEnv = () => ({ DATABASE_URL: t.config.databaseUrl ?? undefined, JWT_SECRET: t.config.jwtSecret, DATA_DIR: t.config.dataDir, LOG_LEVEL: 'silent' });
  const readSheet = async () => ((await t.dataSource.query('SELECT id, marks, total, version FROM score_sheets WHERE id = ?', [sheet.id])) as SheetRow[])[0]!;

  beforeAll(async () => {
    t = await createTestApp();
    s = await resultsContest(t, 'published', { entries: 4, experts: 3 });
    base = `/api/contests/${s.contest.id}`;
    [sheet] = (await t.dataSource.query("SELECT id, marks, total, version FROM score_sheets WHERE entry_id = ? AND expert_id = ? AND stage = 'material'", [entryId(), expertId()])) as SheetRow[];
    sheet = { ...sheet!, id: Number(sheet!.id), total: Number(sheet!.total), version: Number(sheet!.version) };
    [{ name: expertName }] = (await t.dataSource.query('SELECT name FROM experts WHERE id = ?', [expertId()])) as { name: string }[];
  }, 240_000);
  afterAll(() => t.close());

  it('verifies the untouched contest: results, anchor and every sheet', async () => {
    const v = await verify();
    expect(v).toMatchObject({ ok: true, status: 'published', payloadIntact: true, anchor: { required: true, ok: true, problems: [], conflictingEventIds: [] }, sheets: { ok: true, checked: 4 * 3 * 2, problemCount: 0, problems: [] } });
    expect(v.recomputedHash).toBe(v.storedHash);
    expect(v.anchor.anchor).toMatchObject({ action: 'results.freeze', hash: v.storedHash, listHash: v.anchor.listHash });
    const pub = (await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body;
    expect(pub).toMatchObject({ hash: v.storedHash, listHash: v.anchor.listHash });
    expect(listHashOf(pub)).toBe(pub.listHash);
    // The OpenAPI document describes the verification's response.
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const ok = doc.paths['/api/contests/{id}/results/verify'].post.responses['200'];
    expect(ok.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ResultsVerificationDto' });
    expect(Object.keys(doc.components.schemas.ResultsVerificationDto.properties)).toEqual(expect.arrayContaining(['ok', 'storedHash', 'recomputedHash', 'anchor', 'sheets']));
    expect(doc.components.schemas.SheetProblemDto.properties.code.enum).toContain('mark_changed');
  });

  it('(a) one item mark changed in the sheet and its version row: names the sheet, the item and the expert', async () => {
    const marks = JSON.parse(sheet.marks) as Record<string, number>;
    const item = Object.keys(marks)[0]!;
    const was = marks[item]!;
    const now = was >= 10 ? was - 10 : was + 10;
    const tampered = JSON.stringify({ ...marks, [item]: now });
    await t.dataSource.query('UPDATE score_sheets SET marks = ? WHERE id = ?', [tampered, sheet.id]);
    await t.dataSource.query('UPDATE score_sheet_versions SET marks = ? WHERE sheet_id = ? AND version = ?', [tampered, sheet.id, sheet.version]);

    const v = await verify();
    expect(v.ok).toBe(false);
    // The results themselves still recompute (they use the totals): only the sheet check sees it.
    expect(v.recomputedHash).toBe(v.storedHash);
    expect(v.sheets).toMatchObject({ ok: false, sheetsWithProblems: 1 });
    const named = { sheetId: sheet.id, entryId: entryId(), stage: 'material', expertId: expertId(), expertName };
    const points = (tenths: number) => `${Math.floor(tenths / 10)}.${tenths % 10}`;
    expect(v.sheets.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ ...named, code: 'mark_changed', item, itemTitle: expect.any(String), stored: points(now), expected: points(was) }),
      expect.objectContaining({ ...named, code: 'total_mismatch', item: null, stored: points(sheet.total), expected: points(sheet.total + now - was) }),
      expect.objectContaining({ ...named, code: 'version_altered' }),
    ]));
    const changed = v.sheets.problems.find((p: Problem) => p.code === 'mark_changed') as Problem;
    expect(changed.message).toContain(`评分表 #${sheet.id}`);
    expect(changed.message).toContain(expertName);
    expect(changed.message).toContain(changed.itemTitle!);

    // The total changed to match as well (sheet and version): the item is still named, and now the results differ too.
    const total = sheet.total + now - was;
    await t.dataSource.query('UPDATE score_sheets SET total = ? WHERE id = ?', [total, sheet.id]);
    await t.dataSource.query('UPDATE score_sheet_versions SET total = ? WHERE sheet_id = ? AND version = ?', [total, sheet.id, sheet.version]);
    const v2 = await verify();
    expect(v2.ok).toBe(false);
    expect(v2.recomputedHash).not.toBe(v2.storedHash);
    expect(v2.sheets.problems.filter((p: Problem) => p.code !== 'version_altered')).toEqual([expect.objectContaining({ ...named, code: 'mark_changed', item, stored: points(now), expected: points(was) })]);

    if (TEST_DB === 'mariadb') {
      // The command on the same database (an in-memory SQLite cannot be shared).
      const lines: string[] = [];
      expect(await verifyCommand([String(s.contest.id)], cliEnv(), { log: (l) => lines.push(l), error: (l) => lines.push(l) })).toBe(1);
      expect(lines).toContain(`SHEET: ${(v2.sheets.problems as Problem[]).find((p) => p.code === 'mark_changed')!.message}`);
      expect(lines.at(-1)).toMatch(/^MISMATCH: .* 2 sheet problems in 1 of 24 sheets$/);
    }

    await t.dataSource.query('UPDATE score_sheets SET marks = ?, total = ? WHERE id = ?', [sheet.marks, sheet.total, sheet.id]);
    await t.dataSource.query('UPDATE score_sheet_versions SET marks = ?, total = ? WHERE sheet_id = ? AND version = ?', [sheet.marks, sheet.total, sheet.id, sheet.version]);
    expect((await verify()).ok).toBe(true);
  });

  it('(b) only the total changed: names the sheet and its total against the sum of its marks', async () => {
    await t.dataSource.query('UPDATE score_sheets SET total = total + 25 WHERE id = ?', [sheet.id]);
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.recomputedHash).not.toBe(v.storedHash);
    const named = { sheetId: sheet.id, entryId: entryId(), expertId: expertId(), expertName };
    const points = (tenths: number) => `${Math.floor(tenths / 10)}.${tenths % 10}`;
    expect(v.sheets.problems).toEqual([
      expect.objectContaining({ ...named, code: 'total_mismatch', item: null, stored: points(sheet.total + 25), expected: points(sheet.total) }),
      expect.objectContaining({ ...named, code: 'version_total_mismatch', item: null, stored: points(sheet.total + 25), expected: points(sheet.total) }),
    ]);
    expect(v.sheets.problems[0].message).toMatch(new RegExp(`评分表 #${sheet.id}.*${expertName}.*总分与各项评分之和不符`));
    await t.dataSource.query('UPDATE score_sheets SET total = ? WHERE id = ?', [sheet.total, sheet.id]);
    expect(await readSheet()).toMatchObject({ marks: sheet.marks });
    expect((await verify()).ok).toBe(true);
  });

  it('(c) an audit event changed: the chain check names that event, and the sheet no longer matches it', async () => {
    const [event] = (await t.dataSource.query("SELECT id, chain_key, seq, after FROM audit_events WHERE target_type = 'score_sheet' AND target_id = ? AND action = 'sheet.submit'", [String(sheet.id)])) as {
      id: number; chain_key: string; seq: number; after: string;
    }[];
    const after = JSON.parse(event!.after) as Record<string, unknown>;
    const forged = JSON.stringify({ ...after, contentHash: '0'.repeat(64) });
    await t.dataSource.query('UPDATE audit_events SET after = ? WHERE id = ?', [forged, event!.id]);

    const chain = (await t.http().post('/api/audit/verify').set(auth(s.organizer)).expect(200)).body;
    expect(chain).toMatchObject({ ok: false, firstBroken: { id: Number(event!.id), chainKey: event!.chain_key, seq: Number(event!.seq), problem: 'content does not match its hash' } });
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.sheets.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ sheetId: sheet.id, expertId: expertId(), code: 'audit_mismatch', item: 'contentHash', expected: '0'.repeat(64) }),
    ]));

    await t.dataSource.query('UPDATE audit_events SET after = ? WHERE id = ?', [event!.after, event!.id]);
    expect((await t.http().post('/api/audit/verify').set(auth(s.organizer)).expect(200)).body).toMatchObject({ ok: true, firstBroken: null });
    expect((await verify()).ok).toBe(true);
  });

  it('(d) the stored snapshot changed: verification fails against its anchor, and the public hash no longer matches the public body', async () => {
    // The snapshot row holds the payload without its entries; each entry is a row of result_snapshot_entries.
    const [row] = (await t.dataSource.query("SELECT id, payload, hash FROM result_snapshots WHERE contest_id = ? AND status = 'published'", [s.contest.id])) as { id: number; payload: unknown; hash: string }[];
    const rows = (await t.dataSource.query('SELECT position, level, body FROM result_snapshot_entries WHERE snapshot_id = ? ORDER BY position', [row!.id])) as { position: number; level: string | null; body: unknown }[];
    const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    type StoredEntry = { entryId: number; level: string | null; participation: string };
    const entries = rows.map((r) => JSON.parse(text(r.body)) as StoredEntry);
    const payload = { ...(JSON.parse(text(row!.payload)) as Record<string, unknown>), entries };
    expect(createHash('sha256').update(canonical(payload), 'utf8').digest('hex')).toBe(row!.hash); // the hash is over the whole
    // Move the last judged entry to another level, and store a hash that matches the edited payload.
    const target = entries.filter((e) => e.participation === 'judged').at(-1)!;
    const position = Number(rows[entries.indexOf(target)]!.position);
    const original = { body: text(rows[entries.indexOf(target)]!.body), level: rows[entries.indexOf(target)]!.level };
    const level = target.level === 'first' ? 'second' : 'first';
    target.level = level;
    const forgedHash = createHash('sha256').update(canonical(payload), 'utf8').digest('hex');
    const before = (await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body;
    await t.dataSource.query('UPDATE result_snapshot_entries SET body = ?, level = ? WHERE snapshot_id = ? AND position = ?', [JSON.stringify(target), level, row!.id, position]);
    await t.dataSource.query('UPDATE result_snapshots SET hash = ? WHERE id = ?', [forgedHash, row!.id]);

    const v = await verify();
    expect(v).toMatchObject({ ok: false, storedHash: forgedHash, payloadIntact: true, anchor: { ok: false, problems: expect.arrayContaining(['hash_not_anchored', 'list_hash_mismatch']) } });
    expect(v.anchor.anchor.hash).toBe(row!.hash);
    expect(v.anchor.conflictingEventIds.length).toBeGreaterThanOrEqual(2); // the freeze and the publish events
    expect(v.recomputedHash).toBe(row!.hash); // the sheets still give the original result
    expect(v.differences.entries).toEqual(expect.arrayContaining([expect.objectContaining({ entryId: target.entryId, fields: ['level'] })]));

    // Anyone can see it: the list now names the entry at the other level, and no longer hashes to the code shown.
    const after = (await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body;
    expect(after.levels[level].map((e: { entryId: number }) => e.entryId)).toContain(target.entryId);
    expect(after.listHash).toBe(before.listHash);
    expect(listHashOf(after)).not.toBe(after.listHash);
    expect(listHashOf(before)).toBe(before.listHash);

    await t.dataSource.query('UPDATE result_snapshot_entries SET body = ?, level = ? WHERE snapshot_id = ? AND position = ?', [original.body, original.level, row!.id, position]);
    await t.dataSource.query('UPDATE result_snapshots SET hash = ? WHERE id = ?', [row!.hash, row!.id]);
    expect((await verify()).ok).toBe(true);
    const restored = (await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body;
    expect(listHashOf(restored)).toBe(restored.listHash);
  });
});
