import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Entry, EntryEvent } from '../../src/entries/entry.entities.js';
import { ReviewDecision } from '../../src/review/review.entities.js';
import { closeSubmissions, createTrack, openContest, setPhase, type ContestOut } from '../factories/contests.js';
import {
  createEntry, createIntakeWorld, submitEntry, submittedRecommendedEntry, uploadReport, type EntryOut, type IntakeWorld,
} from '../factories/entries.js';
import { checklistAnswer, decide, DEFAULT_CHECKLIST_KEYS, passEntries } from '../factories/review.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

interface ReviewContest {
  contest: ContestOut;
  track: { id: number; name: string } | null;
  /** Recommended entries of enterprise A (unit A); the first is in `track` when there is one. */
  a: EntryOut[];
  /** Recommended entries of enterprise B (unit B). */
  b: EntryOut[];
  /** Entries of A submitted but never recommended. */
  submitted: EntryOut[];
}

describe(`preliminary review (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;
  /** The main contest of the happy paths: 4 entries of A (one in a track), 2 of B. */
  let main: ReviewContest;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** A contest in phase review with recommended entries of both sides. */
  async function reviewContest(opts: { a?: number; b?: number; track?: boolean; submitted?: number } = {}): Promise<ReviewContest> {
    const contest = await openContest(t, w.organizer);
    const track = opts.track ? await createTrack(t, w.organizer, contest.id, { name: `制造类 🏭 ${contest.id}` }) : null;
    const a: EntryOut[] = [];
    const b: EntryOut[] = [];
    const submitted: EntryOut[] = [];
    for (let i = 0; i < (opts.a ?? 1); i++) {
      a.push(await submittedRecommendedEntry(t, w.a.owner.token, w.a.recommender.token, contest.id, i === 0 && track ? { trackId: track.id } : {}));
    }
    for (let i = 0; i < (opts.b ?? 0); i++) b.push(await submittedRecommendedEntry(t, w.b.owner.token, w.b.recommender.token, contest.id));
    for (let i = 0; i < (opts.submitted ?? 0); i++) {
      const e = await createEntry(t, w.a.owner.token, contest.id);
      await uploadReport(t, w.a.owner.token, e.id);
      submitted.push(await submitEntry(t, w.a.owner.token, e.id));
    }
    await closeSubmissions(t, w.organizer, contest.id);
    const inReview = await setPhase(t, w.organizer, contest.id, 'review');
    return { contest: inReview, track, a, b, submitted };
  }

  const decisionsOf = (entryId: number) => t.dataSource.getRepository(ReviewDecision).count({ where: { entryId } });
  const eventsOf = (entryId: number) => t.dataSource.getRepository(EntryEvent).count({ where: { entryId } });
  const statusOf = async (entryId: number) => (await t.dataSource.getRepository(Entry).findOneByOrFail({ id: entryId })).status;
  const post = (token: string, path: string, body: object) => t.http().post(`/api/${path}`).set(auth(token)).send(body);
  const get = (token: string, path: string) => t.http().get(`/api/${path}`).set(auth(token));

  /** Asserts that nothing about these entries changed: status, decisions, timeline. */
  async function snapshot(ids: number[]) {
    return Promise.all(ids.map(async (id) => ({ id, status: await statusOf(id), decisions: await decisionsOf(id), events: await eventsOf(id) })));
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = await createIntakeWorld(t);
    main = await reviewContest({ a: 4, b: 2, track: true });
  });
  afterAll(() => t.close());

  describe('the queue and the three outcomes', () => {
    it('lists the entries awaiting a decision with round 1, the checklist, names, filters and pages', async () => {
      const q = await get(w.organizer, `contests/${main.contest.id}/review/queue`).expect(200);
      expect(q.body).toMatchObject({ total: 6, page: 1, pageSize: 50 });
      expect(q.body.checklist.map((c: { key: string }) => c.key)).toEqual(DEFAULT_CHECKLIST_KEYS);
      expect(q.body.checklist[0]).toEqual({ key: 'materials_complete', title: '材料齐全（成果报告等）' });
      expect(q.body.items.map((i: { entryId: number }) => i.entryId).sort((x: number, y: number) => x - y)).toEqual([...main.a, ...main.b].map((e) => e.id));
      const first = q.body.items.find((i: { entryId: number }) => i.entryId === main.a[0]!.id);
      expect(first).toMatchObject({
        title: main.a[0]!.title,
        status: 'recommended',
        enterpriseId: w.a.enterprise.id,
        enterpriseName: w.a.enterprise.name,
        unitId: w.a.unit.id,
        unitName: w.a.unit.name,
        trackId: main.track!.id,
        trackName: main.track!.name,
        round: 1,
        history: [],
      });

      const byUnit = await get(w.organizer, `contests/${main.contest.id}/review/queue?unitId=${w.b.unit.id}`).expect(200);
      expect(byUnit.body.total).toBe(2);
      expect(byUnit.body.items.every((i: { unitId: number }) => i.unitId === w.b.unit.id)).toBe(true);
      const byTrack = await get(w.organizer, `contests/${main.contest.id}/review/queue?trackId=${main.track!.id}`).expect(200);
      expect(byTrack.body.items.map((i: { entryId: number }) => i.entryId)).toEqual([main.a[0]!.id]);
      const paged = await get(w.organizer, `contests/${main.contest.id}/review/queue?page=2&pageSize=4`).expect(200);
      expect(paged.body).toMatchObject({ total: 6, page: 2, pageSize: 4 });
      expect(paged.body.items).toHaveLength(2);

      const bad = await get(w.organizer, `contests/${main.contest.id}/review/queue?unitId=abc&pageSize=0`).expect(400);
      expectErrorBody(bad.body, 400, 'validation_failed');
      expect(Object.fromEntries(bad.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]))).toEqual({ unitId: 'is_int', pageSize: 'min' });
      expectErrorBody((await get(w.organizer, 'contests/999999/review/queue').expect(404)).body, 404, 'not_found');
    });

    it('passes an entry: decision round 1, entry passed, timeline and audit; Chinese text and emoji round-trip', async () => {
      const e = main.a[0]!;
      const body = { decision: 'pass', checklist: checklistAnswer().map((c, i) => (i === 0 ? { ...c, note: '材料齐全 ✅ 报告 58 页' } : c)), reason: '符合要求 👍' };
      const res = await post(w.organizer, `contests/${main.contest.id}/review/${e.id}`, body).expect(201);
      expect(res.body).toMatchObject({ entryStatus: 'passed', entryVersion: e.version + 1 });
      expect(res.body.decision).toMatchObject({ entryId: e.id, round: 1, decision: 'pass', reason: '符合要求 👍' });
      expect(res.body.decision.checklist[0]).toEqual({ key: 'materials_complete', title: '材料齐全（成果报告等）', ok: true, note: '材料齐全 ✅ 报告 58 页' });
      expect(res.body.decision.checklist).toHaveLength(5);

      const events = await get(w.organizer, `entries/${e.id}/events`).expect(200);
      expect(events.body.items.at(-1)).toMatchObject({ fromStatus: 'recommended', toStatus: 'passed', actorRole: 'organizer', reason: '符合要求 👍' });
      const audit = await get(w.organizer, `audit?targetType=entry&targetId=${e.id}&action=review.pass`).expect(200);
      expect(audit.body.items[0]).toMatchObject({ before: { status: 'recommended' }, after: { status: 'passed' } });
      const own = await get(w.organizer, `audit?targetType=review_decision&targetId=${res.body.decision.id}`).expect(200);
      expect(own.body.items[0]).toMatchObject({ action: 'review.decision', after: { decision: 'pass', round: 1, reason: '符合要求 👍' } });
    });

    it('returns an entry with reasons per failed item; the enterprise reads what to fix', async () => {
      const e = main.a[1]!;
      const body = { decision: 'return', checklist: checklistAnswer({ materials_complete: '缺少成果报告附件 📎', report_length: '报告超过 60 页' }) };
      const res = await post(w.organizer, `contests/${main.contest.id}/review/${e.id}`, body).expect(201);
      expect(res.body).toMatchObject({ entryStatus: 'returned', decision: { round: 1, decision: 'return', reason: null } });
      const events = await get(w.a.owner.token, `entries/${e.id}/events`).expect(200);
      expect(events.body.items.at(-1)).toMatchObject({ toStatus: 'returned', reason: '材料齐全（成果报告等）：缺少成果报告附件 📎\n成果报告篇幅符合要求：报告超过 60 页' });

      const seen = await get(w.a.owner.token, `entries/${e.id}/review`).expect(200);
      expect(seen.body).toMatchObject({ entryId: e.id, contestId: main.contest.id, status: 'returned', awaitingDecision: false, currentRound: 1 });
      expect(seen.body.decisions).toHaveLength(1);
      expect(seen.body.decisions[0]).toMatchObject({ round: 1, decision: 'return', decidedBy: null });
      expect(seen.body.decisions[0].checklist.filter((c: { ok: boolean }) => !c.ok)).toEqual([
        { key: 'materials_complete', title: '材料齐全（成果报告等）', ok: false, note: '缺少成果报告附件 📎' },
        { key: 'report_length', title: '成果报告篇幅符合要求', ok: false, note: '报告超过 60 页' },
      ]);
    });

    it('rejects an entry with a reason', async () => {
      const e = main.b[0]!;
      const res = await post(w.organizer, `contests/${main.contest.id}/review/${e.id}`, { decision: 'reject', checklist: checklistAnswer({ not_repeated: '2019 年已获一等奖' }), reason: '往届已获奖成果，不得重复申报' }).expect(201);
      expect(res.body).toMatchObject({ entryStatus: 'rejected', decision: { decision: 'reject', reason: '往届已获奖成果，不得重复申报' } });
      expect(await statusOf(e.id)).toBe('rejected');
      const events = await get(w.b.recommender.token, `entries/${e.id}/events`).expect(200);
      expect(events.body.items.at(-1)).toMatchObject({ toStatus: 'rejected', reason: '往届已获奖成果，不得重复申报' });
      const q = await get(w.organizer, `contests/${main.contest.id}/review/queue`).expect(200);
      expect(q.body.total).toBe(3);
      expect(q.body.items.map((i: { entryId: number }) => i.entryId)).not.toContain(e.id);
    });
  });

  describe('the resubmission loop', () => {
    it('returned → edited → resubmitted → back in the queue in round 2 with its history → passed', async () => {
      const e = main.a[1]!;
      const patched = await t.http().patch(`/api/entries/${e.id}`).set(auth(w.a.owner.token)).send({ title: '降低焊接缺陷率（修订稿）🔧' });
      // The entries feature allows editing a returned entry during review; if it refuses, this is where.
      expect({ status: patched.status, code: patched.body.code }).toEqual({ status: 200, code: undefined });
      await uploadReport(t, w.a.owner.token, e.id, '成果报告（修订版）.pdf');
      const sub = await t.http().post(`/api/entries/${e.id}/submit`).set(auth(w.a.owner.token));
      expect({ status: sub.status, code: sub.body.code, entryStatus: sub.body.status }).toEqual({ status: 200, code: undefined, entryStatus: 'resubmitted' });

      const q = await get(w.organizer, `contests/${main.contest.id}/review/queue?unitId=${w.a.unit.id}`).expect(200);
      const item = q.body.items.find((i: { entryId: number }) => i.entryId === e.id);
      expect(item).toMatchObject({ status: 'resubmitted', title: '降低焊接缺陷率（修订稿）🔧', round: 2 });
      expect(item.history).toHaveLength(1);
      expect(item.history[0]).toMatchObject({ round: 1, decision: 'return' });
      expect(typeof item.history[0].decidedBy).toBe('number');
      const awaiting = await get(w.a.owner.token, `entries/${e.id}/review`).expect(200);
      expect(awaiting.body).toMatchObject({ status: 'resubmitted', awaitingDecision: true, currentRound: 2 });

      const d = await decide(t, w.organizer, main.contest.id, e.id, { decision: 'pass', checklist: checklistAnswer() });
      expect(d).toMatchObject({ round: 2, decision: 'pass' });
      const history = await get(w.a.owner.token, `entries/${e.id}/review`).expect(200);
      expect(history.body).toMatchObject({ status: 'passed', awaitingDecision: false, currentRound: 2 });
      expect(history.body.decisions.map((x: { round: number; decision: string }) => [x.round, x.decision])).toEqual([[1, 'return'], [2, 'pass']]);
      const recommender = await get(w.a.recommender.token, `entries/${e.id}/review`).expect(200);
      expect(recommender.body.decisions).toHaveLength(2);
      const organizer = await get(w.organizer, `entries/${e.id}/review`).expect(200);
      expect(organizer.body.decisions.every((x: { decidedBy: number | null }) => typeof x.decidedBy === 'number')).toBe(true);
      const events = await get(w.a.owner.token, `entries/${e.id}/events`).expect(200);
      expect(events.body.items.map((x: { toStatus: string }) => x.toStatus)).toEqual(['draft', 'submitted', 'recommended', 'returned', 'resubmitted', 'passed']);
    });
  });

  describe('bad input and refusals (nothing written)', () => {
    let other: ReviewContest;
    beforeAll(async () => {
      other = await reviewContest({ a: 2, submitted: 1 });
    });

    it('refuses a decision on an entry of another contest, or no entry, with 404 entry_not_in_contest', async () => {
      const before = await snapshot([other.a[0]!.id]);
      const res = await post(w.organizer, `contests/${main.contest.id}/review/${other.a[0]!.id}`, { decision: 'pass', checklist: checklistAnswer() }).expect(404);
      expectErrorBody(res.body, 404, 'entry_not_in_contest');
      expectErrorBody((await post(w.organizer, `contests/${main.contest.id}/review/999999`, { decision: 'pass', checklist: checklistAnswer() }).expect(404)).body, 404, 'entry_not_in_contest');
      expectErrorBody((await post(w.organizer, `contests/999999/review/${other.a[0]!.id}`, { decision: 'pass', checklist: checklistAnswer() }).expect(404)).body, 404, 'not_found');
      expect(await snapshot([other.a[0]!.id])).toEqual(before);
    });

    it('refuses a second decision on the same round with 409 already_decided', async () => {
      const passed = main.a[0]!.id;
      const before = await snapshot([passed]);
      const res = await post(w.organizer, `contests/${main.contest.id}/review/${passed}`, { decision: 'reject', checklist: checklistAnswer(), reason: '再议' }).expect(409);
      expectErrorBody(res.body, 409, 'already_decided');
      expect(res.body.details).toEqual({ status: 'passed' });
      expect(await snapshot([passed])).toEqual(before);
    });

    it('refuses an entry that was never recommended with 409 entry_not_awaiting_review', async () => {
      const e = other.submitted[0]!.id;
      const before = await snapshot([e]);
      const res = await post(w.organizer, `contests/${other.contest.id}/review/${e}`, { decision: 'pass', checklist: checklistAnswer() }).expect(409);
      expectErrorBody(res.body, 409, 'entry_not_awaiting_review');
      expect(await snapshot([e])).toEqual(before);
    });

    it('checks the decision against the checklist with field codes', async () => {
      const e = other.a[0]!.id;
      const before = await snapshot([e]);
      const path = `contests/${other.contest.id}/review/${e}`;
      const fields = async (body: object) => {
        const res = await post(w.organizer, path, body).expect(400);
        expectErrorBody(res.body, 400, 'validation_failed');
        return res.body.errors.map((x: { field: string; code: string }) => `${x.field}:${x.code}`).sort();
      };
      // A return needs a failed item, each failed item a note.
      expect(await fields({ decision: 'return', checklist: checklistAnswer() })).toEqual(['checklist:return_requires_failed_item']);
      expect(await fields({ decision: 'return', checklist: checklistAnswer({ activity_period: '  ' }) })).toEqual(['checklist.1.note:note_required']);
      expect(await fields({ decision: 'return', checklist: DEFAULT_CHECKLIST_KEYS.map((key) => ({ key, ok: key !== 'type_fits' })) })).toEqual(['checklist.3.note:note_required']);
      // A reject needs a reason; a pass every item ok.
      expect(await fields({ decision: 'reject', checklist: checklistAnswer() })).toEqual(['reason:required']);
      expect(await fields({ decision: 'reject', checklist: checklistAnswer(), reason: '   ' })).toEqual(['reason:required']);
      expect(await fields({ decision: 'pass', checklist: checklistAnswer({ type_fits: '类型不符' }) })).toEqual(['checklist.3.ok:pass_requires_all_ok']);
      // Exactly the contest's keys.
      expect(await fields({ decision: 'pass', checklist: [...checklistAnswer(), { key: 'colour', ok: true }] })).toEqual(['checklist.5.key:unknown_checklist_key']);
      expect(await fields({ decision: 'pass', checklist: checklistAnswer().slice(1) })).toEqual(['checklist:checklist_item_missing']);
      expect(await fields({ decision: 'pass', checklist: [...checklistAnswer(), { key: 'type_fits', ok: true }] })).toEqual(['checklist.5.key:duplicate_checklist_key']);
      // The DTO itself.
      expect(await fields({ decision: 'approve', checklist: checklistAnswer(), extra: 1 })).toEqual(['decision:is_in', 'extra:unknown_field']);
      expect(await fields({ decision: 'pass' })).toEqual(['checklist:required']);
      expect(await fields({ decision: 'pass', checklist: [{ key: 'materials_complete', ok: 'yes', colour: 1 }] })).toEqual(['checklist.0.colour:unknown_field', 'checklist.0.ok:is_boolean']);
      const nonNumeric = await post(w.organizer, `contests/${other.contest.id}/review/abc`, { decision: 'pass', checklist: checklistAnswer() }).expect(400);
      expectErrorBody(nonNumeric.body, 400, 'invalid_id');
      expect(await snapshot([e])).toEqual(before);
    });

    it('refuses decisions, bulk pass and closing outside the review phase with 409 wrong_phase', async () => {
      // The intake world's contest is still open, with a recommended entry.
      const e = await submittedRecommendedEntry(t, w.a.owner.token, w.a.recommender.token, w.contest.id);
      const before = await snapshot([e.id]);
      const res = await post(w.organizer, `contests/${w.contest.id}/review/${e.id}`, { decision: 'pass', checklist: checklistAnswer() }).expect(409);
      expectErrorBody(res.body, 409, 'wrong_phase');
      expect(res.body.details).toEqual({ phase: 'open', needs: 'review' });
      expectErrorBody((await post(w.organizer, `contests/${w.contest.id}/review/bulk-pass`, { entryIds: [e.id] }).expect(409)).body, 409, 'wrong_phase');
      expectErrorBody((await post(w.organizer, `contests/${w.contest.id}/review/close`, { outcome: 'reject_undecided', note: '结束' }).expect(409)).body, 409, 'wrong_phase');
      expect(await snapshot([e.id])).toEqual(before);
      // Recommended entries of an open contest are already listed as awaiting review.
      const q = await get(w.organizer, `contests/${w.contest.id}/review/queue`).expect(200);
      expect(q.body.items.map((i: { entryId: number }) => i.entryId)).toContain(e.id);
    });

    it('lets only one of two concurrent decisions on the same entry through', async () => {
      const e = other.a[1]!.id;
      const path = `/api/contests/${other.contest.id}/review/${e}`;
      const [x, y] = await Promise.all([
        t.http().post(path).set(auth(w.organizer)).send({ decision: 'pass', checklist: checklistAnswer() }),
        t.http().post(path).set(auth(w.organizer)).send({ decision: 'reject', checklist: checklistAnswer(), reason: '并发' }),
      ]);
      expect([x.status, y.status].sort()).toEqual([201, 409]);
      expectErrorBody((x.status === 409 ? x : y).body, 409, 'already_decided');
      expect(await decisionsOf(e)).toBe(1);
      const winner = x.status === 201 ? x : y;
      expect(await statusOf(e)).toBe(winner.body.entryStatus);
      // One transition on the timeline.
      const events = await get(w.organizer, `entries/${e}/events`).expect(200);
      expect(events.body.items.filter((i: { fromStatus: string }) => i.fromStatus === 'recommended')).toHaveLength(1);
    });
  });

  describe('bulk pass', () => {
    it('is all-or-nothing: one entry not awaiting refuses the lot with the reasons, nothing written', async () => {
      const c = await reviewContest({ a: 3, b: 1, submitted: 1 });
      const [x, y, z] = c.a as [EntryOut, EntryOut, EntryOut];
      await decide(t, w.organizer, c.contest.id, z.id, { decision: 'return', checklist: checklistAnswer({ materials_complete: '缺附件' }) });
      const ids = [x.id, y.id, c.b[0]!.id];
      const before = await snapshot([...ids, z.id]);
      const res = await post(w.organizer, `contests/${c.contest.id}/review/bulk-pass`, { entryIds: [x.id, z.id, y.id, main.a[2]!.id, c.submitted[0]!.id, 999999] }).expect(409);
      expectErrorBody(res.body, 409, 'entries_not_awaiting');
      expect(res.body.details.entries).toEqual([
        { entryId: z.id, code: 'already_decided', status: 'returned' },
        { entryId: main.a[2]!.id, code: 'entry_not_in_contest', status: null },
        { entryId: c.submitted[0]!.id, code: 'entry_not_awaiting_review', status: 'submitted' },
        { entryId: 999999, code: 'entry_not_in_contest', status: null },
      ]);
      expect(await snapshot([...ids, z.id])).toEqual(before);

      const decisions = await passEntries(t, w.organizer, c.contest.id, ids);
      expect(decisions.map((d) => [d.entryId, d.round, d.decision])).toEqual(ids.map((id) => [id, 1, 'pass']));
      expect(decisions[0]!.checklist.every((i) => i.ok && i.note === null)).toBe(true);
      expect(decisions[0]!.checklist.map((i) => i.key)).toEqual(DEFAULT_CHECKLIST_KEYS);
      for (const id of ids) expect(await statusOf(id)).toBe('passed');
      const events = await get(w.organizer, `entries/${x.id}/events`).expect(200);
      expect(events.body.items.at(-1)).toMatchObject({ fromStatus: 'recommended', toStatus: 'passed', reason: '材料初审通过（检查项全部合格）' });
      const audit = await get(w.organizer, `audit?action=review.bulk_pass&targetId=${c.contest.id}`).expect(200);
      expect(audit.body.items[0]).toMatchObject({ targetType: 'contest', after: { entryIds: ids } });
      // Passing them again: all already decided.
      const again = await post(w.organizer, `contests/${c.contest.id}/review/bulk-pass`, { entryIds: [x.id] }).expect(409);
      expect(again.body.details.entries).toEqual([{ entryId: x.id, code: 'already_decided', status: 'passed' }]);
    });

    it('validates the list: 1–500 distinct positive integers', async () => {
      const path = `contests/${main.contest.id}/review/bulk-pass`;
      const code = async (body: object) => {
        const res = await post(w.organizer, path, body).expect(400);
        expectErrorBody(res.body, 400, 'validation_failed');
        return res.body.errors.map((x: { field: string; code: string }) => `${x.field}:${x.code}`);
      };
      expect(await code({ entryIds: [] })).toEqual(['entryIds:array_min_size']);
      expect(await code({ entryIds: Array.from({ length: 501 }, (_, i) => i + 1) })).toEqual(['entryIds:array_max_size']);
      expect(await code({ entryIds: [main.a[2]!.id, main.a[2]!.id] })).toEqual(['entryIds:array_unique']);
      expect(await code({ entryIds: ['x'] })).toEqual(['entryIds:is_int']);
      expect(await code({})).toEqual(['entryIds:required']);
      expect(await statusOf(main.a[2]!.id)).toBe('recommended');
    });
  });

  describe('statistics', () => {
    it('counts awaiting, passed, returned and rejected entries per unit (with its name) and per track', async () => {
      const c = await reviewContest({ a: 3, b: 2, track: true });
      // A: a0 (track) passed, a1 returned, a2 awaiting; B: b0 rejected, b1 awaiting.
      await decide(t, w.organizer, c.contest.id, c.a[0]!.id, { decision: 'pass', checklist: checklistAnswer() });
      await decide(t, w.organizer, c.contest.id, c.a[1]!.id, { decision: 'return', checklist: checklistAnswer({ activity_period: '活动时间不符' }) });
      await decide(t, w.organizer, c.contest.id, c.b[0]!.id, { decision: 'reject', checklist: checklistAnswer(), reason: '不符合申报条件' });
      const res = await get(w.organizer, `contests/${c.contest.id}/review/stats`).expect(200);
      expect(res.body).toEqual({
        contestId: c.contest.id,
        totals: { awaiting: 2, passed: 1, returned: 1, rejected: 1, total: 5 },
        byUnit: [
          { unitId: w.a.unit.id, unitName: w.a.unit.name, awaiting: 1, passed: 1, returned: 1, rejected: 0, total: 3 },
          { unitId: w.b.unit.id, unitName: w.b.unit.name, awaiting: 1, passed: 0, returned: 0, rejected: 1, total: 2 },
        ],
        byTrack: [
          { trackId: c.track!.id, trackName: c.track!.name, awaiting: 0, passed: 1, returned: 0, rejected: 0, total: 1 },
          { trackId: null, trackName: null, awaiting: 2, passed: 0, returned: 1, rejected: 1, total: 4 },
        ],
        reviewClosedAt: null,
        reviewClosureNote: null,
      });
      expectErrorBody((await get(w.organizer, 'contests/999999/review/stats').expect(404)).body, 404, 'not_found');
    });
  });

  describe('closing review and the phase facts', () => {
    const blockerCodes = async (contestId: number): Promise<string[]> => {
      const res = await post(w.organizer, `contests/${contestId}/phase`, { to: 'presentation' });
      // Sessions are scheduled by the presentation feature: the move stays blocked here.
      expect(res.status).toBe(409);
      expectErrorBody(res.body, 409, 'phase_blocked');
      return res.body.details.blockers.map((b: { code: string }) => b.code);
    };

    it('blocks review → presentation while decisions are missing, and not once every entry is decided', async () => {
      const c = await reviewContest({ a: 2 });
      expect(await blockerCodes(c.contest.id)).toEqual(expect.arrayContaining(['reviews_undecided']));
      const status = await get(w.organizer, `contests/${c.contest.id}/phase`).expect(200);
      expect(status.body.blockers).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'reviews_undecided', count: 2 })]));
      await decide(t, w.organizer, c.contest.id, c.a[0]!.id, { decision: 'pass', checklist: checklistAnswer() });
      await decide(t, w.organizer, c.contest.id, c.a[1]!.id, { decision: 'reject', checklist: checklistAnswer(), reason: '不符合条件' });
      const codes = await blockerCodes(c.contest.id);
      expect(codes).not.toContain('reviews_undecided');
      expect(codes).not.toContain('review_not_closed');
    });

    it('keeps a returned entry blocking until it is decided or review is closed; closing rejects what is left', async () => {
      const c = await reviewContest({ a: 3, b: 1 });
      const [passed, returned, awaiting] = c.a as [EntryOut, EntryOut, EntryOut];
      await decide(t, w.organizer, c.contest.id, passed.id, { decision: 'pass', checklist: checklistAnswer() });
      await decide(t, w.organizer, c.contest.id, returned.id, { decision: 'return', checklist: checklistAnswer({ report_length: '篇幅过长' }) });
      await decide(t, w.organizer, c.contest.id, c.b[0]!.id, { decision: 'pass', checklist: checklistAnswer() });
      expect(await blockerCodes(c.contest.id)).toEqual(expect.arrayContaining(['reviews_undecided', 'review_not_closed']));

      // Bad closures write nothing.
      const bad = await post(w.organizer, `contests/${c.contest.id}/review/close`, { outcome: 'pass_all', note: '  ', extra: true }).expect(400);
      expect(bad.body.errors.map((x: { field: string; code: string }) => `${x.field}:${x.code}`).sort()).toEqual(['extra:unknown_field', 'note:matches', 'outcome:is_in']);
      expect((await post(w.organizer, `contests/${c.contest.id}/review/close`, { outcome: 'reject_undecided', note: 'x'.repeat(1001) }).expect(400)).body.errors[0]).toMatchObject({ field: 'note', code: 'max_length' });
      expect(await statusOf(awaiting.id)).toBe('recommended');

      const note = '初审期限已到，未按期补正或未作结论的成果不予通过 ⏰';
      const res = await post(w.organizer, `contests/${c.contest.id}/review/close`, { outcome: 'reject_undecided', note }).expect(200);
      expect(res.body).toMatchObject({ contestId: c.contest.id, reviewClosureNote: note });
      expect(res.body.rejectedEntryIds).toEqual([returned.id, awaiting.id]);
      expect(await statusOf(returned.id)).toBe('rejected');
      expect(await statusOf(awaiting.id)).toBe('rejected');
      expect(await statusOf(passed.id)).toBe('passed');

      const history = await get(w.a.owner.token, `entries/${returned.id}/review`).expect(200);
      expect(history.body.decisions.map((d: { round: number; decision: string; reason: string | null }) => [d.round, d.decision, d.reason])).toEqual([[1, 'return', null], [2, 'reject', note]]);
      const events = await get(w.a.owner.token, `entries/${awaiting.id}/events`).expect(200);
      expect(events.body.items.at(-1)).toMatchObject({ fromStatus: 'recommended', toStatus: 'rejected', reason: note });
      const audit = await get(w.organizer, `audit?action=review.close&targetId=${c.contest.id}`).expect(200);
      expect(audit.body.items[0]).toMatchObject({ targetType: 'contest', before: { reviewClosedAt: null }, after: { outcome: 'reject_undecided', reviewClosureNote: note, rejectedEntryIds: [returned.id, awaiting.id] } });

      const stats = await get(w.organizer, `contests/${c.contest.id}/review/stats`).expect(200);
      expect(stats.body).toMatchObject({ totals: { awaiting: 0, passed: 2, returned: 0, rejected: 2, total: 4 }, reviewClosureNote: note });
      expect(typeof stats.body.reviewClosedAt).toBe('string');
      const codes = await blockerCodes(c.contest.id);
      expect(codes).not.toContain('reviews_undecided');
      expect(codes).not.toContain('review_not_closed');

      // After closing, no more decisions; the queue is empty.
      expectErrorBody((await post(w.organizer, `contests/${c.contest.id}/review/${awaiting.id}`, { decision: 'pass', checklist: checklistAnswer() }).expect(409)).body, 409, 'review_closed');
      expectErrorBody((await post(w.organizer, `contests/${c.contest.id}/review/bulk-pass`, { entryIds: [awaiting.id] }).expect(409)).body, 409, 'review_closed');
      expect((await get(w.organizer, `contests/${c.contest.id}/review/queue`).expect(200)).body.total).toBe(0);
    });

    it('accepts a repeated closure, which sweeps up whatever is left', async () => {
      const c = await reviewContest({ a: 1 });
      const res = await post(w.organizer, `contests/${c.contest.id}/review/close`, { outcome: 'reject_undecided', note: '提前结束' }).expect(200);
      expect(res.body.rejectedEntryIds).toEqual([c.a[0]!.id]);
      // A second closure sweeps nothing more but is accepted.
      const again = await post(w.organizer, `contests/${c.contest.id}/review/close`, { outcome: 'reject_undecided', note: '再次确认' }).expect(200);
      expect(again.body).toMatchObject({ rejectedEntryIds: [], reviewClosureNote: '再次确认' });
    });
  });

  describe('authorisation', () => {
    it('allows the organizer routes to organizers only: 403 for every other role, 401 without a token, nothing written', async () => {
      const c = await reviewContest({ a: 1, b: 1 });
      const target = c.a[0]!.id;
      const before = await snapshot([target, c.b[0]!.id]);
      const routes: { method: 'get' | 'post'; path: string; body?: object }[] = [
        { method: 'get', path: `contests/${c.contest.id}/review/queue` },
        { method: 'get', path: `contests/${c.contest.id}/review/stats` },
        { method: 'post', path: `contests/${c.contest.id}/review/${target}`, body: { decision: 'pass', checklist: checklistAnswer() } },
        { method: 'post', path: `contests/${c.contest.id}/review/bulk-pass`, body: { entryIds: [target] } },
        { method: 'post', path: `contests/${c.contest.id}/review/close`, body: { outcome: 'reject_undecided', note: '结束' } },
      ];
      const callers: Record<string, string> = {
        admin: w.admin,
        'recommender (own unit)': w.a.recommender.token,
        'recommender (foreign unit)': w.b.recommender.token,
        'enterprise (own)': w.a.owner.token,
        'enterprise (foreign)': w.b.owner.token,
        expert: w.expert,
      };
      for (const r of routes) {
        for (const [who, token] of Object.entries(callers)) {
          const res = await t.http()[r.method](`/api/${r.path}`).set(auth(token)).send(r.body ?? {});
          expect({ who, path: r.path, status: res.status }).toEqual({ who, path: r.path, status: 403 });
          expectErrorBody(res.body, 403, 'forbidden');
          expect(res.body.items).toBeUndefined();
        }
        const anon = await t.http()[r.method](`/api/${r.path}`).send(r.body ?? {});
        expect(anon.status).toBe(401);
        expectErrorBody(anon.body, 401, 'unauthenticated');
      }
      expect(await snapshot([target, c.b[0]!.id])).toEqual(before);
      // The organizer may.
      await get(w.organizer, `contests/${c.contest.id}/review/queue`).expect(200);
      await get(w.organizer, `contests/${c.contest.id}/review/stats`).expect(200);
    });

    it("shows an entry's decisions to its enterprise, its unit's recommender and organizers; 404 to anyone else", async () => {
      const c = await reviewContest({ a: 1, b: 1 });
      const e = c.a[0]!.id;
      await decide(t, w.organizer, c.contest.id, e, { decision: 'return', checklist: checklistAnswer({ materials_complete: '缺少附件' }) });
      for (const token of [w.organizer, w.a.owner.token, w.a.recommender.token]) {
        const res = await get(token, `entries/${e}/review`).expect(200);
        expect(res.body.decisions).toHaveLength(1);
      }
      for (const [who, token] of Object.entries({ admin: w.admin, expert: w.expert, 'foreign enterprise': w.b.owner.token, 'foreign recommender': w.b.recommender.token })) {
        const res = await get(token, `entries/${e}/review`);
        expect({ who, status: res.status }).toEqual({ who, status: 404 });
        expectErrorBody(res.body, 404, 'not_found');
        expect(res.body.decisions).toBeUndefined();
      }
      expectErrorBody((await t.http().get(`/api/entries/${e}/review`).expect(401)).body, 401, 'unauthenticated');
      expectErrorBody((await get(w.organizer, 'entries/999999/review').expect(404)).body, 404, 'not_found');
      // B's own entry, never decided: visible to B with no decisions yet.
      const own = await get(w.b.owner.token, `entries/${c.b[0]!.id}/review`).expect(200);
      expect(own.body).toMatchObject({ status: 'recommended', awaitingDecision: true, currentRound: 1, decisions: [] });
      expect(own.body.checklist).toHaveLength(5);
    });

    it("does not show a recommender an entry of its unit that is still a draft", async () => {
      const draft = await createEntry(t, w.a.owner.token, w.contest.id);
      expectErrorBody((await get(w.a.recommender.token, `entries/${draft.id}/review`).expect(404)).body, 404, 'not_found');
      const own = await get(w.a.owner.token, `entries/${draft.id}/review`).expect(200);
      expect(own.body).toMatchObject({ status: 'draft', awaitingDecision: false, currentRound: 0, decisions: [] });
    });
  });

  it('keeps the audit chain valid', async () => {
    const v = await post(w.organizer, 'audit/verify', {}).expect(200);
    expect(v.body).toMatchObject({ ok: true, firstBroken: null });
  });
});
