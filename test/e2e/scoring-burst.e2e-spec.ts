// A room's burst of submits, committed together (group commit, src/scoring/sheet-submit.service.ts):
// every answer is that submit's own (its sheet, or its own refusal), and the database afterwards holds
// exactly what the answers say: one version per submitted sheet, one audit event each, chains intact.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { buildScoringScenario } from '../factories/scenario.js';
import { createExpert } from '../factories/organisations.js';
import { marksFor, mySheet, saveDraft, sheetPath, totalOf, type RubricOut, type Stage } from '../factories/scoring.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';
import { SheetsRepository } from '../../src/scoring/sheets.repository.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
type Scenario = Awaited<ReturnType<typeof buildScoringScenario>>;

/** What one submit of the burst sends and what it must be answered. */
interface Shot {
  what: string;
  token: string;
  entryId: number;
  stage: Stage;
  body: Record<string, unknown>;
  /** 200 with a sheet, or this status and code; 'race' for two different contents of one sheet (one wins). */
  expect: { status: 200; expertId: number; total: number } | { status: number; code: string } | { race: string };
}

/** The content hash the service stores (sheet-rules.ts): marks in tenths, keys sorted, no comments. */
function hashOf(marks: Record<string, number>): string {
  const tenths = Object.keys(marks)
    .sort()
    .map((k) => [k, Math.round(marks[k]! * 10)]);
  return createHash('sha256').update(JSON.stringify({ marks: tenths, comments: [] })).digest('hex');
}

describe(`a burst of submits, committed together (${TEST_DB})`, () => {
  let t: TestApp;
  let s: Scenario;
  /** entries every expert but the conflicted one may score (not absent, no conflict) */
  let clean: number[];
  const rubrics = new Map<string, RubricOut>();

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildScoringScenario(t, { entries: 5, experts: 10, absent: 1, conflicts: 1 });
    const conflicted = new Set(s.conflicts.map((c) => c.entryId));
    clean = s.entries.map((e) => e.id).filter((id) => !s.absentEntryIds.includes(id) && !conflicted.has(id));
    expect(clean.length).toBeGreaterThanOrEqual(3);
    for (const e of s.entries) for (const stage of ['material', 'presentation'] as Stage[]) {
      rubrics.set(`${e.id}:${stage}`, (await mySheet(t, s.experts[0]!.token, e.id, stage)).rubric);
    }
  });
  afterAll(() => t?.close());

  it('answers every submit with its own sheet or refusal, and stores one version and one audit event per submitted sheet', async () => {
    const rubricOf = (entryId: number, stage: Stage) => rubrics.get(`${entryId}:${stage}`)!;
    const conflict = s.conflicts[0]!;
    const conflictedExpert = s.experts.find((x) => x.id === conflict.expertId)!;
    const free = s.experts.filter((x) => x.id !== conflict.expertId);
    const outsider = await createExpert(t, s.organizer, { name: '局外专家' });
    const absentId = s.absentEntryIds[0]!;

    // Drafts before the burst: one submitted on its lockVersion (an update in the batch), one on a stale one.
    const drafter = free[0]!;
    const draftOk = await saveDraft(t, drafter.token, clean[0]!, 'presentation', { marks: {} });
    const stale = free[1]!;
    const draftStale = await saveDraft(t, stale.token, clean[0]!, 'presentation', { marks: {} });

    const shots: Shot[] = [];
    const ok = (x: { id: number; token: string }, entryId: number, stage: Stage, fraction: number, extra: Record<string, unknown> = {}, what = 'submit') => {
      const marks = marksFor(rubricOf(entryId, stage), fraction);
      shots.push({ what: `${what} ${x.id}/${entryId}/${stage}`, token: x.token, entryId, stage, body: { marks, ...extra }, expect: { status: 200, expertId: x.id, total: totalOf(marks) } });
    };
    // Every free expert submits its material sheet of each clean entry: distinct sheets, distinct chains per expert.
    for (const [i, x] of free.entries()) for (const entryId of clean) ok(x, entryId, 'material', 0.5 + (i % 5) / 10);
    // The same sheet three times with the same content (idempotent), in the same burst.
    for (let k = 0; k < 3; k++) ok(free[2]!, clean[1]!, 'presentation', 0.7, {}, 'duplicate');
    // The draft on its lockVersion, and the stale one.
    ok(drafter, clean[0]!, 'presentation', 0.9, { lockVersion: draftOk.lockVersion }, 'draft');
    shots.push({ what: 'stale lockVersion', token: stale.token, entryId: clean[0]!, stage: 'presentation', body: { marks: marksFor(rubricOf(clean[0]!, 'presentation')), lockVersion: draftStale.lockVersion - 1 }, expect: { status: 409, code: 'stale_version' } });
    // One sheet, two different contents: one wins, the other is 409 sheet_locked.
    for (const f of [0.6, 0.8]) {
      shots.push({ what: `race ${f}`, token: free[3]!.token, entryId: clean[2]!, stage: 'presentation', body: { marks: marksFor(rubricOf(clean[2]!, 'presentation'), f) }, expect: { race: 'race' } });
    }
    // Refusals, each only its own.
    shots.push({ what: 'conflicted', token: conflictedExpert.token, entryId: conflict.entryId, stage: 'material', body: { marks: marksFor(rubricOf(conflict.entryId, 'material')) }, expect: { status: 403, code: 'conflict_of_interest' } });
    shots.push({ what: 'absent', token: free[4]!.token, entryId: absentId, stage: 'material', body: { marks: marksFor(rubricOf(absentId, 'material')) }, expect: { status: 409, code: 'entry_absent' } });
    shots.push({ what: 'unassigned', token: outsider.account.token, entryId: clean[0]!, stage: 'material', body: { marks: marksFor(rubricOf(clean[0]!, 'material')) }, expect: { status: 404, code: 'not_found' } });
    shots.push({ what: 'no such entry', token: free[5]!.token, entryId: 99_999_999, stage: 'material', body: { marks: marksFor(rubricOf(clean[0]!, 'material')) }, expect: { status: 404, code: 'not_found' } });
    const over = marksFor(rubricOf(clean[1]!, 'presentation'));
    const firstKey = rubricOf(clean[1]!, 'presentation').items[0]!;
    over[firstKey.key] = firstKey.max + 1;
    shots.push({ what: 'over the maximum', token: free[6]!.token, entryId: clean[1]!, stage: 'presentation', body: { marks: over }, expect: { status: 400, code: 'validation_failed' } });

    // The first batch is held a moment (its context read), so that the rest of the burst is waiting
    // when it commits and forms the next batches, on either database (on SQLite a batch otherwise
    // commits before the next request is even parsed: batches of one, which is fine there).
    const repo = t.app.get(SheetsRepository);
    const read = repo.contexts.bind(repo);
    let held = false;
    const contexts = jest.spyOn(repo, 'contexts').mockImplementation(async (m, keys) => {
      if (!held) {
        held = true;
        await new Promise((ok) => setTimeout(ok, 500));
      }
      return read(m, keys);
    });
    const answers: Response[] = await Promise.all(shots.map((x) => t.http().post(sheetPath(x.entryId, x.stage, 'submit')).set(auth(x.token)).send(x.body)));
    // The burst was committed in batches of several submits (not one transaction per submit).
    const sizes = contexts.mock.calls.map((c) => c[1].length);
    contexts.mockRestore();
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(shots.length);

    const ids = new Map<string, number[]>();
    shots.forEach((shot, i) => {
      const res = answers[i]!;
      const e = shot.expect;
      if ('race' in e) return;
      if (!('code' in e)) {
        expect([shot.what, res.status]).toEqual([shot.what, 200]);
        expect(res.body).toMatchObject({ status: 'submitted', version: 1, entryId: shot.entryId, stage: shot.stage, expertId: e.expertId, total: e.total });
        const key = `${e.expertId}:${shot.entryId}:${shot.stage}`;
        ids.set(key, [...(ids.get(key) ?? []), res.body.id as number]);
      } else {
        expect([shot.what, res.status, res.body.code]).toEqual([shot.what, e.status, e.code]);
        expectErrorBody(res.body, e.status, e.code);
      }
    });
    // The duplicates: one sheet, the same answer each time.
    const dup = shots.map((x, i) => [x, answers[i]!] as const).filter(([x]) => x.what.startsWith('duplicate'));
    expect(new Set(dup.map(([, r]) => JSON.stringify(r.body))).size).toBe(1);
    // The draft was updated (its id kept, lockVersion moved on).
    const drafted = answers[shots.findIndex((x) => x.what.startsWith('draft'))]!;
    expect(drafted.body).toMatchObject({ id: draftOk.id, lockVersion: draftOk.lockVersion + 1 });
    // The race: exactly one winner.
    const race = shots.map((x, i) => [x, answers[i]!] as const).filter(([x]) => 'race' in x.expect);
    expect(race.map(([, r]) => r.status).sort()).toEqual([200, 409]);
    const lost = race.find(([, r]) => r.status === 409)![1];
    expectErrorBody(lost.body, 409, 'sheet_locked');
    const won = race.find(([, r]) => r.status === 200)!;
    ids.set(`${free[3]!.id}:${clean[2]}:presentation`, [won[1].body.id as number]);

    // The database: exactly the answered sheets of the contest, each submitted once, one version, one audit event.
    const sheets = (await t.dataSource.query(
      `SELECT s.id, s.expert_id, s.entry_id, s.stage, s.status, s.version, s.lock_version,
         (SELECT COUNT(*) FROM score_sheet_versions v WHERE v.sheet_id = s.id) AS versions,
         (SELECT MIN(v.content_hash) FROM score_sheet_versions v WHERE v.sheet_id = s.id) AS hash,
         (SELECT COUNT(*) FROM audit_events a WHERE a.action = 'sheet.submit' AND a.target_type = 'score_sheet' AND a.target_id = CAST(s.id AS CHAR)) AS audited
       FROM score_sheets s WHERE s.contest_id = ? ORDER BY s.id`,
      [s.contest.id],
    )) as Record<string, unknown>[];
    const submitted = sheets.filter((r) => r.status === 'submitted');
    expect(submitted.map((r) => `${r.expert_id}:${r.entry_id}:${r.stage}`).sort()).toEqual([...ids.keys()].sort());
    for (const r of submitted) {
      const key = `${r.expert_id}:${r.entry_id}:${r.stage}`;
      expect([key, new Set(ids.get(key)).size, ids.get(key)![0], Number(r.version), Number(r.versions), Number(r.audited)]).toEqual([key, 1, Number(r.id), 1, 1, 1]);
    }
    // Each stored version is the content its answer acknowledged.
    for (const [shot, res] of shots.map((x, i) => [x, answers[i]!] as const)) {
      if (res.status !== 200) continue;
      const row = submitted.find((r) => Number(r.id) === res.body.id)!;
      expect([shot.what, row.hash]).toEqual([shot.what, hashOf(shot.body.marks as Record<string, number>)]);
    }
    // The stale one is still the draft it was; refused sheets were never written.
    const staleRow = sheets.find((r) => Number(r.id) === draftStale.id)!;
    expect(staleRow).toMatchObject({ status: 'draft' });
    expect(Number(staleRow.lock_version)).toBe(draftStale.lockVersion);
    expect(sheets.filter((r) => r.status === 'draft')).toHaveLength(1);
    expect(sheets.some((r) => Number(r.entry_id) === absentId || Number(r.expert_id) === conflict.expertId || Number(r.expert_id) === outsider.id)).toBe(false);

    // Every chain verifies, and each expert's chain got one event per sheet it submitted.
    const verify = await t.http().post('/api/audit/verify').set(auth(s.admin)).expect(200);
    expect(verify.body).toMatchObject({ ok: true, firstBroken: null });
    for (const x of free) {
      const mine = submitted.filter((r) => Number(r.expert_id) === x.id).length;
      const [row] = (await t.dataSource.query("SELECT COUNT(*) AS n FROM audit_events WHERE chain_key = ? AND action = 'sheet.submit'", [`user:${x.userId}`])) as { n: unknown }[];
      expect([x.id, Number(row!.n)]).toEqual([x.id, mine]);
    }
  });

  (TEST_DB === 'mariadb' ? it : it.skip)('on MariaDB, queries go out without a JavaScript stack captured for each (mysql2 trace off: the submit path\'s CPU)', () => {
    const pool = (t.dataSource.driver as unknown as { pool: { config: { connectionConfig: { trace: boolean; multipleStatements: boolean } } } }).pool;
    expect(pool.config.connectionConfig).toMatchObject({ trace: false, multipleStatements: true });
  });

  it('a second burst of the same submits is answered idempotently: the same sheets, nothing new written', async () => {
    const x = s.experts.filter((e) => !s.conflicts.some((c) => c.expertId === e.id));
    const body = (entryId: number) => ({ marks: marksFor(rubrics.get(`${entryId}:material`)!, 0.5) });
    const first = x[0]!;
    const before = (await t.dataSource.query('SELECT COUNT(*) AS n FROM score_sheet_versions')) as { n: unknown }[];
    const res = await Promise.all(clean.map((entryId) => t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(first.token)).send(body(entryId))));
    for (const r of res) expect(r.body).toMatchObject({ status: 'submitted', version: 1, expertId: first.id });
    const after = (await t.dataSource.query('SELECT COUNT(*) AS n FROM score_sheet_versions')) as { n: unknown }[];
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
    // Different content for a submitted sheet: 409 sheet_locked, whatever batch it lands in.
    const changed = await Promise.all(clean.map((entryId) => t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(first.token)).send({ marks: marksFor(rubrics.get(`${entryId}:material`)!, 0.9) })));
    for (const r of changed) expectErrorBody(r.body, 409, 'sheet_locked');
  });

  it('a submit whose audit chain has no head yet is committed too (the locking path), with the rest of its batch', async () => {
    const room = await buildScoringScenario(t, { entries: 1, experts: 4, absent: 0, conflicts: 0 });
    const entryId = room.entries[0]!.id;
    const rubric = (await mySheet(t, room.experts[0]!.token, entryId, 'material')).rubric;
    const headless = room.experts[0]!;
    const chain = `user:${headless.userId}`;
    const [events] = (await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_events WHERE chain_key = ?', [chain])) as { n: unknown }[];
    expect(Number(events!.n)).toBe(0);
    await t.dataSource.query('DELETE FROM audit_chain_heads WHERE chain_key = ?', [chain]);

    const repo = t.app.get(SheetsRepository);
    const read = repo.contexts.bind(repo);
    let held = false;
    const contexts = jest.spyOn(repo, 'contexts').mockImplementation(async (...args) => {
      if (!held) {
        held = true;
        await new Promise((ok) => setTimeout(ok, 300));
      }
      return read(...args);
    });
    const answers = await Promise.all([...room.experts, room.experts[1]!].map((x) => t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(x.token)).send({ marks: marksFor(rubric) })));
    const sizes = contexts.mock.calls.map((c) => c[1].length);
    contexts.mockRestore();
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[4]!.body).toEqual(answers[1]!.body);

    const [head] = (await t.dataSource.query('SELECT seq FROM audit_chain_heads WHERE chain_key = ?', [chain])) as { seq: unknown }[];
    expect(Number(head!.seq)).toBe(1);
    const [row] = (await t.dataSource.query("SELECT COUNT(*) AS n FROM audit_events WHERE chain_key = ? AND action = 'sheet.submit' AND target_id = ?", [chain, String(answers[0]!.body.id)])) as { n: unknown }[];
    expect(Number(row!.n)).toBe(1);
    const versions = (await t.dataSource.query('SELECT v.sheet_id FROM score_sheet_versions v JOIN score_sheets s ON s.id = v.sheet_id WHERE s.entry_id = ?', [entryId])) as unknown[];
    expect(versions).toHaveLength(4);
    const verify = await t.http().post('/api/audit/verify').set(auth(s.admin)).expect(200);
    expect(verify.body).toMatchObject({ ok: true, firstBroken: null });
  });
});
