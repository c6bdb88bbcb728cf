import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { buildScoringScenario } from '../factories/scenario.js';
import { createExpert } from '../factories/organisations.js';
import { marksFor, mySheet, saveDraft, sheetPath, submitSheet, totalOf, type RubricOut, type Stage } from '../factories/scoring.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

// Building the scenario hashes a password per account (argon2): generous time on a busy machine.
jest.setTimeout(120_000);

type Scenario = Awaited<ReturnType<typeof buildScoringScenario>>;

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`score sheets (${TEST_DB})`, () => {
  let t: TestApp;
  let s: Scenario;
  let admin: string;
  let organizer: string;
  /** entries every listed expert is assigned to (not absent, not conflicted for anybody) */
  let clean: number[];
  let absentId: number;
  let rubric: RubricOut;
  const rubrics = new Map<string, RubricOut>();
  /** The rubric of an entry's type and stage, as an assigned expert sees it. */
  const rubricOf = async (entryId: number, stage: Stage): Promise<RubricOut> => {
    const key = `${entryId}:${stage}`;
    if (!rubrics.has(key)) rubrics.set(key, (await mySheet(t, expertOf(0).token, entryId, stage)).rubric);
    return rubrics.get(key)!;
  };

  const sheetRows = async (entryId: number, stage?: Stage) =>
    (await t.dataSource.query(
      `SELECT id, expert_id, stage, status, version, lock_version FROM score_sheets WHERE entry_id = ?${stage ? ' AND stage = ?' : ''} ORDER BY id`,
      stage ? [entryId, stage] : [entryId],
    )) as { id: number; expert_id: number; stage: string; status: string; version: number; lock_version: number }[];
  const versionRows = async (sheetId: number) =>
    (await t.dataSource.query('SELECT version, total, content_hash FROM score_sheet_versions WHERE sheet_id = ? ORDER BY version', [sheetId])) as { version: number; total: number; content_hash: string }[];
  const expertOf = (i: number) => s.experts[i]!;

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildScoringScenario(t, { entries: 6, experts: 3, absent: 1, conflicts: 1 });
    admin = await login(t, ADMIN.username, ADMIN.password);
    organizer = s.organizer;
    const conflicted = new Set(s.conflicts.map((c) => c.entryId));
    clean = s.entries.map((e) => e.id).filter((id) => !s.absentEntryIds.includes(id) && !conflicted.has(id));
    absentId = s.absentEntryIds[0]!;
    expect(clean.length).toBeGreaterThanOrEqual(4);
    rubric = await rubricOf(clean[0]!, 'material');
  });
  afterAll(() => t.close());

  it('shows an empty draft with the rubric before the first save', async () => {
    const res = await t.http().get(sheetPath(clean[0]!, 'material', 'mine')).set(auth(expertOf(0).token)).expect(200);
    expect(res.body).toMatchObject({ id: null, status: 'draft', version: 0, lockVersion: 0, total: null, entryId: clean[0], stage: 'material', expertId: expertOf(0).id });
    expect(Object.values(res.body.marks).every((v) => v === null)).toBe(true);
    expect(Object.keys(res.body.marks)).toEqual(res.body.rubric.items.map((i: { key: string }) => i.key));
    expect(res.body.rubric.items.length).toBeGreaterThan(0);
    // The precision the API takes, said to the client (the expert's sheet checks the same rule).
    expect(res.body.rubric.markDecimals).toBe(1);
    for (const i of res.body.rubric.items) expect(i).toEqual({ key: expect.any(String), title: expect.any(String), description: expect.any(String), max: expect.any(Number) });
    expect(res.body.rubric.maxTotal).toBe(res.body.rubric.items.reduce((a: number, i: { max: number }) => a + i.max, 0));
  });

  it('saves drafts several times (partial marks, Chinese + emoji comments), refuses a stale lockVersion, then submits and locks', async () => {
    const e = expertOf(0);
    const entryId = clean[0]!;
    const [first, second] = rubric.items;
    const d1 = await saveDraft(t, e.token, entryId, 'material', { marks: { [first!.key]: 1.5 }, comments: { [first!.key]: '选题理由充分 👍 现状调查清楚' }, lockVersion: 0 });
    expect(d1).toMatchObject({ status: 'draft', lockVersion: 1, version: 0, total: null, comments: { [first!.key]: '选题理由充分 👍 现状调查清楚' } });
    expect(d1.marks[first!.key]).toBe(1.5);
    expect(d1.marks[second!.key]).toBeNull();
    const d2 = await saveDraft(t, e.token, entryId, 'material', { marks: { [first!.key]: 2, [second!.key]: 3.5 }, lockVersion: 1 });
    expect(d2).toMatchObject({ id: d1.id, lockVersion: 2, total: null });
    // comments omitted: the saved ones are kept
    expect(d2.comments).toEqual({ [first!.key]: '选题理由充分 👍 现状调查清楚' });
    // stale lockVersion: 409 and nothing changes
    const stale = await t.http().put(sheetPath(entryId, 'material', 'draft')).set(auth(e.token)).send({ marks: { [first!.key]: 9 }, lockVersion: 1 }).expect(409);
    expectErrorBody(stale.body, 409, 'stale_version');
    const mine = await mySheet(t, e.token, entryId, 'material');
    expect(mine).toMatchObject({ lockVersion: 2, status: 'draft' });
    expect(mine.marks[first!.key]).toBe(2);
    expect(mine.comments[first!.key]).toBe('选题理由充分 👍 现状调查清楚');

    const marks = marksFor(rubric, 0.75);
    const sub = await t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(e.token)).send({ marks, lockVersion: 2 }).expect(200);
    expect(sub.body).toMatchObject({ id: d1.id, status: 'submitted', version: 1, lockVersion: 3, total: totalOf(marks) });
    expect(sub.body.submittedAt).toEqual(expect.any(String));
    const versions = await versionRows(d1.id!);
    expect(versions).toHaveLength(1);
    const tenths = Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v * 10)]));
    const canonical = JSON.stringify({ marks: Object.keys(tenths).sort().map((k) => [k, tenths[k]]), comments: [[first!.key, '选题理由充分 👍 现状调查清楚']] });
    expect(versions[0]!.content_hash).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(Number(versions[0]!.total)).toBe(Math.round(totalOf(marks) * 10));

    // locked: a changed submit and any draft are refused
    const changed = { ...marks, [first!.key]: 0 };
    expectErrorBody((await t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(e.token)).send({ marks: changed }).expect(409)).body, 409, 'sheet_locked');
    expectErrorBody((await t.http().put(sheetPath(entryId, 'material', 'draft')).set(auth(e.token)).send({ marks: changed }).expect(409)).body, 409, 'sheet_locked');
    // idempotent: the same content again answers the same version, nothing new is written
    const again = await t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(e.token)).send({ marks, lockVersion: 2 }).expect(200);
    expect(again.body).toMatchObject({ id: d1.id, version: 1, lockVersion: 3, status: 'submitted' });
    expect(await versionRows(d1.id!)).toHaveLength(1);

    const list = await t.http().get(`/api/experts/me/sheets?contestId=${s.contest.id}`).set(auth(e.token)).expect(200);
    expect(list.body).toMatchObject({ total: 1, page: 1 });
    expect(list.body.items[0]).toMatchObject({ id: d1.id, entryId, stage: 'material', status: 'submitted', total: totalOf(marks), version: 1 });
    expect(list.body.items[0].marks).toBeUndefined();
  });

  it('submits without a draft first, and the audit trail records it without any mark', async () => {
    const e = expertOf(1);
    const sheet = await submitSheet(t, e.token, clean[0]!, 'presentation');
    expect(sheet).toMatchObject({ status: 'submitted', version: 1, lockVersion: 1 });
    const audit = await t.http().get(`/api/audit?targetType=score_sheet&targetId=${sheet.id}`).set(auth(organizer)).expect(200);
    const submit = audit.body.items.find((a: { action: string }) => a.action === 'sheet.submit');
    expect(submit).toMatchObject({ action: 'sheet.submit', after: { sheetId: sheet.id, status: 'submitted', version: 1 } });
    expect(JSON.stringify(submit)).not.toMatch(/"marks"|"total"/);
  });

  it('reopens a submitted sheet with a reason (organizer); the expert resubmits version 2; both versions are kept', async () => {
    const e = expertOf(2);
    const entryId = clean[1]!;
    const rubric = await rubricOf(entryId, 'material');
    const v1 = await submitSheet(t, e.token, entryId, 'material', marksFor(rubric, 0.6));
    const bad = await t.http().post(`/api/sheets/${v1.id}/reopen`).set(auth(organizer)).send({ reason: '' }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'reason', code: 'min_length' });
    expect((await t.http().post(`/api/sheets/${v1.id}/reopen`).set(auth(organizer)).send({ reason: '   ' }).expect(400)).body.errors[0]).toMatchObject({ field: 'reason', code: 'min_length' });
    expect((await t.http().post(`/api/sheets/${v1.id}/reopen`).set(auth(organizer)).send({}).expect(400)).body.errors[0]).toMatchObject({ field: 'reason', code: 'required' });
    expect((await t.http().post(`/api/sheets/${v1.id}/reopen`).set(auth(organizer)).send({ reason: 'x'.repeat(501) }).expect(400)).body.errors[0]).toMatchObject({ field: 'reason', code: 'max_length' });
    const reopened = await t.http().post(`/api/sheets/${v1.id}/reopen`).set(auth(organizer)).send({ reason: '专家误将「效果」分录错 ✍️' }).expect(200);
    expect(reopened.body).toMatchObject({ id: v1.id, status: 'draft', version: 1, reopenReason: '专家误将「效果」分录错 ✍️', lockVersion: 2 });
    expectErrorBody((await t.http().post(`/api/sheets/${v1.id}/reopen`).set(auth(organizer)).send({ reason: 'again' }).expect(409)).body, 409, 'sheet_not_submitted');

    const mine = await mySheet(t, e.token, entryId, 'material');
    expect(mine).toMatchObject({ status: 'draft', reopenReason: '专家误将「效果」分录错 ✍️' });
    const v2 = await submitSheet(t, e.token, entryId, 'material', marksFor(rubric, 0.9), { lockVersion: mine.lockVersion });
    expect(v2).toMatchObject({ id: v1.id, status: 'submitted', version: 2, total: totalOf(marksFor(rubric, 0.9)) });

    const full = await t.http().get(`/api/sheets/${v1.id}`).set(auth(organizer)).expect(200);
    expect(full.body).toMatchObject({ id: v1.id, version: 2, status: 'submitted', expertId: e.id, entryId });
    expect(full.body.versions.map((v: { version: number; total: number }) => [v.version, v.total])).toEqual([
      [1, totalOf(marksFor(rubric, 0.6))],
      [2, totalOf(marksFor(rubric, 0.9))],
    ]);
    const versions = await t.http().get(`/api/sheets/${v1.id}/versions`).set(auth(organizer)).expect(200);
    expect(versions.body).toHaveLength(2);
    expect(versions.body[0].marks).toEqual(marksFor(rubric, 0.6));
    const audit = await t.http().get(`/api/audit?targetType=score_sheet&targetId=${v1.id}&action=sheet.reopen`).set(auth(organizer)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'sheet.reopen', after: { status: 'draft', reopenReason: '专家误将「效果」分录错 ✍️' } });
    expectErrorBody((await t.http().post('/api/sheets/99999999/reopen').set(auth(organizer)).send({ reason: 'x' }).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().get('/api/sheets/99999999').set(auth(organizer)).expect(404)).body, 404, 'not_found');
  });

  describe('bad input: 400 with field codes, nothing written', () => {
    const cases: [string, (r: RubricOut) => unknown, string, string][] = [
      ['above its maximum', (r) => ({ marks: { ...marksFor(r), [r.items[0]!.key]: r.items[0]!.max + 0.1 } }), 'marks.ITEM0', 'above_max'],
      ['negative', (r) => ({ marks: { ...marksFor(r), [r.items[0]!.key]: -1 } }), 'marks.ITEM0', 'below_zero'],
      ['two decimals', (r) => ({ marks: { ...marksFor(r), [r.items[0]!.key]: 1.25 } }), 'marks.ITEM0', 'too_many_decimals'],
      ['three decimals', (r) => ({ marks: { ...marksFor(r), [r.items[0]!.key]: 0.125 } }), 'marks.ITEM0', 'too_many_decimals'],
      ['missing item on submit', (r) => ({ marks: { ...marksFor(r), [r.items[0]!.key]: undefined } }), 'marks.ITEM0', 'required'],
      ['null item on submit', (r) => ({ marks: { ...marksFor(r), [r.items[0]!.key]: null } }), 'marks.ITEM0', 'required'],
      ['unknown key', (r) => ({ marks: { ...marksFor(r), bogus_item: 1 } }), 'marks.bogus_item', 'unknown_item'],
      ['a string', (r) => ({ marks: { ...marksFor(r), [r.items[0]!.key]: '12' } }), 'marks.ITEM0', 'not_a_number'],
      ['the string "NaN"', (r) => ({ marks: { ...marksFor(r), [r.items[0]!.key]: 'NaN' } }), 'marks.ITEM0', 'not_a_number'],
      ['a total field', (r) => ({ marks: marksFor(r), total: 80 }), 'total', 'unknown_field'],
      ['marks as an array', () => ({ marks: [1, 2] }), 'marks', 'is_object'],
      ['marks missing', () => ({}), 'marks', 'required'],
      ['a too long comment', (r) => ({ marks: marksFor(r), comments: { [r.items[0]!.key]: '长'.repeat(501) } }), 'comments.ITEM0', 'too_long'],
      ['a comment on an unknown item', (r) => ({ marks: marksFor(r), comments: { nope: 'x' } }), 'comments.nope', 'unknown_item'],
      ['a comment that is not text', (r) => ({ marks: marksFor(r), comments: { [r.items[0]!.key]: 5 } }), 'comments.ITEM0', 'not_a_string'],
      ['a negative lockVersion', (r) => ({ marks: marksFor(r), lockVersion: -1 }), 'lockVersion', 'min'],
    ];
    it.each(cases)('%s', async (_name, body, field, code) => {
      const e = expertOf(0);
      const entryId = clean[2]!;
      const rubric = await rubricOf(entryId, 'material');
      const res = await t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(e.token)).send(body(rubric) as object).expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      const want = field.replace('ITEM0', rubric.items[0]!.key);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: want, code, message: expect.any(String) })]));
      const draft = await t.http().put(sheetPath(entryId, 'material', 'draft')).set(auth(e.token)).send(body(rubric) as object);
      if (code !== 'required' || field === 'marks') expect(draft.status).toBe(400);
      else expect(draft.status).toBe(200); // a draft may leave items unmarked
      if (draft.status === 200) {
        // undo the draft so the next case starts from nothing
        await t.dataSource.query('DELETE FROM score_sheets WHERE entry_id = ? AND expert_id = ?', [entryId, e.id]);
      }
      expect(await sheetRows(entryId)).toHaveLength(0);
    });

    it('the raw JSON NaN is malformed JSON (400 malformed_json), and several errors come together', async () => {
      const e = expertOf(0);
      const entryId = clean[2]!;
      const rubric = await rubricOf(entryId, 'material');
      const raw = `{"marks": {"${rubric.items[0]!.key}": NaN}}`;
      const res = await t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(e.token)).set('content-type', 'application/json').send(raw).expect(400);
      expectErrorBody(res.body, 400, 'malformed_json');
      const [a, b] = rubric.items;
      const many = await t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(e.token)).set('accept-language', 'en').send({ marks: { [a!.key]: 1.55, [b!.key]: -2, zzz: 1 } }).expect(400);
      const codes = Object.fromEntries(many.body.errors.map((x: { field: string; code: string }) => [x.field, x.code]));
      expect(codes).toMatchObject({ [`marks.${a!.key}`]: 'too_many_decimals', [`marks.${b!.key}`]: 'below_zero', 'marks.zzz': 'unknown_item' });
      for (const i of rubric.items.slice(2)) expect(codes[`marks.${i.key}`]).toBe('required');
      const badPath = await t.http().get(`/api/entries/${entryId}/sheets/final/mine`).set(auth(e.token)).expect(400);
      expect(badPath.body.errors[0]).toMatchObject({ field: 'stage', code: 'is_in' });
      expect((await t.http().get(`/api/entries/abc/sheets/material/mine`).set(auth(e.token)).expect(400)).body.errors[0]).toMatchObject({ field: 'entryId' });
      expect(await sheetRows(entryId)).toHaveLength(0);
    });
  });

  describe('who may score what', () => {
    it('an expert never sees or writes another expert’s sheet', async () => {
      const a = expertOf(0);
      const b = expertOf(1);
      const entryId = clean[3]!;
      const rubric = await rubricOf(entryId, 'material');
      const sheetA = await submitSheet(t, a.token, entryId, 'material', marksFor(rubric, 0.55));
      // B's "mine" is B's own empty sheet, never A's marks
      const bMine = await mySheet(t, b.token, entryId, 'material');
      expect(bMine).toMatchObject({ id: null, expertId: b.id, version: 0 });
      expect(Object.values(bMine.marks).every((v) => v === null)).toBe(true);
      // B cannot address A's sheet by id (organizer routes)
      for (const path of [`/api/sheets/${sheetA.id}`, `/api/sheets/${sheetA.id}/versions`]) {
        expectErrorBody((await t.http().get(path).set(auth(b.token)).expect(403)).body, 403, 'forbidden');
      }
      expectErrorBody((await t.http().post(`/api/sheets/${sheetA.id}/reopen`).set(auth(b.token)).send({ reason: 'x' }).expect(403)).body, 403, 'forbidden');
      // B's submission writes B's sheet, A's stays as it was
      await submitSheet(t, b.token, entryId, 'material', marksFor(rubric, 0.95));
      const rowsNow = await sheetRows(entryId, 'material');
      expect(rowsNow.map((r) => Number(r.expert_id)).sort()).toEqual([a.id, b.id].sort());
      const aAgain = await mySheet(t, a.token, entryId, 'material');
      expect(aAgain.total).toBe(totalOf(marksFor(rubric, 0.55)));
      const bList = await t.http().get('/api/experts/me/sheets').set(auth(b.token)).expect(200);
      expect(bList.body.items.every((i: { id: number }) => i.id !== sheetA.id)).toBe(true);
    });

    it('refuses unassigned (404), conflicted (403), absent (409) scoring', async () => {
      const outsider = await createExpert(t, organizer, { name: '局外专家' });
      const entryId = clean[0]!;
      for (const [method, action] of [['get', 'mine'], ['put', 'draft'], ['post', 'submit']] as const) {
        const res = await t.http()[method](sheetPath(entryId, 'material', action)).set(auth(outsider.account.token)).send(action === 'mine' ? undefined : { marks: marksFor(rubric) });
        expect(res.status).toBe(404);
        expectErrorBody(res.body, 404, 'not_found');
      }
      const c = s.conflicts[0]!;
      const conflicted = s.experts.find((x) => x.id === c.expertId)!;
      for (const [method, action] of [['get', 'mine'], ['put', 'draft'], ['post', 'submit']] as const) {
        const res = await t.http()[method](sheetPath(c.entryId, 'presentation', action)).set(auth(conflicted.token)).send(action === 'mine' ? undefined : { marks: marksFor(rubric) });
        expect(res.status).toBe(403);
        expectErrorBody(res.body, 403, 'conflict_of_interest');
      }
      const e = expertOf(0);
      const absentRubric = (await mySheet(t, e.token, absentId, 'material')).rubric;
      for (const [method, action] of [['put', 'draft'], ['post', 'submit']] as const) {
        const res = await t.http()[method](sheetPath(absentId, 'material', action)).set(auth(e.token)).send({ marks: marksFor(absentRubric) }).expect(409);
        expectErrorBody(res.body, 409, 'entry_absent');
      }
      expect(await sheetRows(absentId)).toHaveLength(0);
      expect(await sheetRows(c.entryId)).toEqual(expect.not.arrayContaining([expect.objectContaining({ expert_id: c.expertId })]));
      expectErrorBody((await t.http().get(sheetPath(99999999, 'material', 'mine')).set(auth(e.token)).expect(404)).body, 404, 'not_found');
    });

    it('enterprises, recommenders, admins and organizers get no expert route; only organizers get organizer routes', async () => {
      const sheetId = (await sheetRows(clean[0]!, 'material'))[0]!.id;
      const recommender = s.units[0]!.token;
      const enterprise = s.enterprises[0]!.token;
      const expertPlain = (await createUser(t, admin, { username: 'plain-expert', role: 'expert' })).token;
      const expertRoutes = (entryId: number) => [
        ['get', sheetPath(entryId, 'material', 'mine')],
        ['put', sheetPath(entryId, 'material', 'draft')],
        ['post', sheetPath(entryId, 'material', 'submit')],
        ['get', '/api/experts/me/sheets'],
        ['post', `/api/sessions/${s.session.id}/sign-off`],
      ] as const;
      const organizerRoutes = [
        ['get', `/api/sheets/${sheetId}`],
        ['get', `/api/sheets/${sheetId}/versions`],
        ['post', `/api/sheets/${sheetId}/reopen`],
        ['get', `/api/contests/${s.contest.id}/progress`],
        ['get', `/api/contests/${s.contest.id}/progress/stream`],
      ] as const;
      // the enterprise's own entry, so that "own organisation" is covered too
      const ownEntry = s.entries.find((x) => x.enterpriseId === s.enterprises[0]!.id)!.id;
      for (const [who, token] of [['enterprise', enterprise], ['recommender', recommender], ['admin', admin], ['organizer', organizer]] as const) {
        for (const [method, path] of expertRoutes(ownEntry)) {
          const res = await t.http()[method](path).set(auth(token)).send(method === 'get' ? undefined : { marks: marksFor(rubric), reason: 'x' });
          expect([who, path, res.status]).toEqual([who, path, 403]);
          expectErrorBody(res.body, 403, 'forbidden');
          expect(JSON.stringify(res.body)).not.toMatch(/marks|total/);
        }
      }
      for (const [who, token] of [['enterprise', enterprise], ['recommender', recommender], ['admin', admin], ['expert', expertOf(0).token]] as const) {
        for (const [method, path] of organizerRoutes) {
          const res = await t.http()[method](path).set(auth(token)).send(method === 'get' ? undefined : { reason: 'x' });
          expect([who, path, res.status]).toEqual([who, path, 403]);
          expectErrorBody(res.body, 403, 'forbidden');
        }
      }
      // an expert account without an expert record scores nothing
      expect((await t.http().get(sheetPath(clean[0]!, 'material', 'mine')).set(auth(expertPlain)).expect(404)).body.code).toBe('not_found');
      expect((await t.http().get('/api/experts/me/sheets').set(auth(expertPlain)).expect(200)).body.total).toBe(0);
      // no token at all
      for (const [method, path] of [...expertRoutes(clean[0]!), ...organizerRoutes]) {
        const res = await t.http()[method](path).send(method === 'get' ? undefined : {});
        expect([path, res.status]).toEqual([path, 401]);
      }
    });
  });

  describe('concurrency', () => {
    it('50 parallel submits of one sheet (same content) make exactly one version', async () => {
      const e = expertOf(1);
      const entryId = clean[1]!;
      const rubric = await rubricOf(entryId, 'presentation');
      const marks = marksFor(rubric, 0.7);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => t.http().post(sheetPath(entryId, 'presentation', 'submit')).set(auth(e.token)).send({ marks })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
      const ids = new Set(results.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      expect(new Set(results.map((r) => r.body.version))).toEqual(new Set([1]));
      const sheets = await sheetRows(entryId, 'presentation');
      expect(sheets.filter((r) => Number(r.expert_id) === e.id)).toHaveLength(1);
      expect(await versionRows([...ids][0] as number)).toHaveLength(1);
    });

    it('50 parallel submits of one draft sheet with different contents: one wins, the others get 409 sheet_locked', async () => {
      const e = expertOf(2);
      const entryId = clean[2]!;
      const rubric = await rubricOf(entryId, 'presentation');
      const d = await saveDraft(t, e.token, entryId, 'presentation', { marks: {} });
      const key = rubric.items[0]!.key;
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          t.http().post(sheetPath(entryId, 'presentation', 'submit')).set(auth(e.token)).send({ marks: { ...marksFor(rubric, 0.5), [key]: Math.min(i / 10, rubric.items[0]!.max) }, lockVersion: d.lockVersion }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((x) => x === 200)).toHaveLength(1);
      expect(statuses.filter((x) => x === 409)).toHaveLength(49);
      for (const r of results.filter((x) => x.status === 409)) expect(['sheet_locked', 'stale_version']).toContain(r.body.code);
      expect(await versionRows(d.id!)).toHaveLength(1);
      const [row] = await sheetRows(entryId, 'presentation');
      expect(row).toMatchObject({ status: 'submitted' });
      expect(Number(row!.version)).toBe(1);
    });

    it('a whole room submits its first sheets at once: every one succeeds, each audited once', async () => {
      // Each expert's first audited write creates its audit chain: many at once must not deadlock or fail.
      const room = await buildScoringScenario(t, { entries: 2, experts: 12, absent: 0, conflicts: 0 });
      const entryId = room.entries[0]!.id;
      const roomRubric = (await mySheet(t, room.experts[0]!.token, entryId, 'material')).rubric;
      const results = await Promise.all(room.experts.map((x) => t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(x.token)).send({ marks: marksFor(roomRubric) })));
      expect(results.map((r) => r.status)).toEqual(Array(room.experts.length).fill(200));
      const audited = (await t.dataSource.query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'sheet.submit' AND target_id IN (SELECT CAST(id AS CHAR) FROM score_sheets WHERE entry_id = ?)", [entryId])) as { n: unknown }[];
      expect(Number(audited[0]!.n)).toBe(room.experts.length);
      const verify = await t.http().post('/api/audit/verify').set(auth(admin)).expect(200);
      expect(verify.body).toMatchObject({ ok: true, firstBroken: null });
    });

    it('two parallel first drafts make one sheet', async () => {
      const e = expertOf(0);
      const entryId = clean[3]!;
      const key = (await rubricOf(entryId, 'presentation')).items[0]!.key;
      const results = await Promise.all([0, 1, 2, 3].map((i) => t.http().put(sheetPath(entryId, 'presentation', 'draft')).set(auth(e.token)).send({ marks: { [key]: i } })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const mine = (await sheetRows(entryId, 'presentation')).filter((r) => Number(r.expert_id) === e.id);
      expect(mine).toHaveLength(1);
      expect(Number(mine[0]!.lock_version)).toBe(4);
    });
  });
});
