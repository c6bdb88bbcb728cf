import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createContest, createTrack } from '../factories/contests.js';
import { createExpert } from '../factories/organisations.js';
import { assignDefault, placeTracks, reviewWorld, type PanelOut, type ReviewWorld } from '../factories/presentation.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

// Building a contest through the API takes seconds on a busy machine (the config's testTimeout is not applied per project).
jest.setTimeout(120_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
type Pair = { expertId: number; entryId: number };
const key = (p: Pair) => `${p.expertId}:${p.entryId}`;
const fields = (body: { errors?: { field: string; code: string }[] }) => Object.fromEntries((body.errors ?? []).map((e) => [e.field, e.code]));

describe(`presentation set-up: placement, panels, conflicts, assignments (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('track placement', () => {
    let w: ReviewWorld;
    let tracks: Record<string, number>;
    let otherContestTrack: number;

    beforeAll(async () => {
      w = await reviewWorld(t, [
        { industry: '制造业', entryType: 'problem_solving' }, // 0 → 制造·问题解决 (most specific, lowest id)
        { industry: '制造业', entryType: 'innovation' }, // 1 → 制造类
        { industry: '服务业', entryType: 'innovation' }, // 2 → 服务·创新
        { industry: '建筑业', entryType: 'problem_solving' }, // 3 → unplaced
        { industry: '服务业', entryType: 'problem_solving' }, // 4 → unplaced
        { industry: '制造业', entryType: 'problem_solving', pass: false }, // 5 not passed: not placed
      ]);
      tracks = {};
      tracks.manufacturing = (await createTrack(t, w.organizer, w.contest.id, { name: '制造类', industry: '制造业' })).id;
      tracks.mfgProblem = (await createTrack(t, w.organizer, w.contest.id, { name: '制造类·问题解决型', industry: '制造业', entryType: 'problem_solving' })).id;
      tracks.serviceInnovation = (await createTrack(t, w.organizer, w.contest.id, { name: '服务类·创新型', industry: '服务业', entryType: 'innovation' })).id;
      tracks.mfgProblemTwin = (await createTrack(t, w.organizer, w.contest.id, { name: '制造类·问题解决型（二）', industry: '制造业', entryType: 'problem_solving' })).id;
      const other = await createContest(t, w.organizer);
      otherContestTrack = (await createTrack(t, w.organizer, other.id, { name: '别的评比' })).id;
    });

    const trackOf = async (entryId: number) => (await t.http().get(`/api/entries/${entryId}`).set(auth(w.organizer)).expect(200)).body.trackId;

    it('places passed entries by industry and type, most specific first, ties by lowest id; lists the unplaced', async () => {
      const res = await t.http().post(`/api/contests/${w.contest.id}/tracks/place`).set(auth(w.organizer)).expect(200);
      const e = w.entries;
      expect(res.body.placed.map((p: Pair & { trackId: number }) => [p.entryId, p.trackId])).toEqual([
        [e[0]!.id, tracks.mfgProblem],
        [e[1]!.id, tracks.manufacturing],
        [e[2]!.id, tracks.serviceInnovation],
      ]);
      expect(res.body.placed[0]).toMatchObject({ trackName: '制造类·问题解决型' });
      expect(res.body.unplaced).toEqual([
        { entryId: e[3]!.id, title: e[3]!.title, entryType: 'problem_solving', industry: '建筑业' },
        { entryId: e[4]!.id, title: e[4]!.title, entryType: 'problem_solving', industry: '服务业' },
      ]);
      expect(await trackOf(e[0]!.id)).toBe(tracks.mfgProblem);
      expect(await trackOf(e[3]!.id)).toBeNull();
      const listed = (await t.http().get(`/api/entries?contestId=${w.contest.id}&trackId=${tracks.mfgProblem}`).set(auth(w.organizer)).expect(200)).body.items;
      expect(listed.map((x: { id: number; trackName: string }) => [x.id, x.trackName])).toEqual([[e[0]!.id, '制造类·问题解决型']]);
      expect(await trackOf(e[5]!.id)).toBeNull();
    });

    it('moves one entry to a track by hand, checking the track and its type; a second placement leaves placed entries alone', async () => {
      const e3 = w.entries[3]!.id;
      const res = await t.http().patch(`/api/entries/${e3}/track`).set(auth(w.organizer)).send({ trackId: tracks.manufacturing }).expect(200);
      expect(res.body).toMatchObject({ entryId: e3, trackId: tracks.manufacturing, trackName: '制造类' });
      expect(await trackOf(e3)).toBe(tracks.manufacturing);

      const again = await placeTracks(t, w.organizer, w.contest.id);
      expect(again.placed).toEqual([]);
      expect(again.unplaced.map((u) => u.entryId)).toEqual([w.entries[4]!.id]);
    });

    it('refuses a track of another contest, a track of another type, bad bodies and unknown entries, changing nothing', async () => {
      const e4 = w.entries[4]!.id;
      let res = await t.http().patch(`/api/entries/${e4}/track`).set(auth(w.organizer)).send({ trackId: otherContestTrack }).expect(400);
      expect(fields(res.body)).toEqual({ trackId: 'track_not_found' });
      res = await t.http().patch(`/api/entries/${e4}/track`).set(auth(w.organizer)).send({ trackId: tracks.serviceInnovation }).expect(400);
      expect(fields(res.body)).toEqual({ trackId: 'track_type_mismatch' });
      res = await t.http().patch(`/api/entries/${e4}/track`).set(auth(w.organizer)).send({ trackId: 'abc', extra: 1 }).expect(400);
      expect(fields(res.body)).toEqual({ trackId: 'is_int', extra: 'unknown_field' });
      res = await t.http().patch(`/api/entries/${e4}/track`).set(auth(w.organizer)).send({}).expect(400);
      expect(fields(res.body)).toEqual({ trackId: 'required' });
      expectErrorBody((await t.http().patch('/api/entries/999999/track').set(auth(w.organizer)).send({ trackId: tracks.manufacturing }).expect(404)).body, 404, 'not_found');
      expectErrorBody((await t.http().post('/api/contests/999999/tracks/place').set(auth(w.organizer)).expect(404)).body, 404, 'not_found');
      expect(await trackOf(e4)).toBeNull();
    });
  });

  describe('panels, conflicts and assignments', () => {
    let w: ReviewWorld;
    let track: number;
    let otherTrack: number;
    let x: { id: number; token: string }[];
    let panel: PanelOut;
    let e: number[];

    beforeAll(async () => {
      // Entries 0,1 through unit 0; entries 2,3 through unit 1.
      w = await reviewWorld(t, [{ unit: 0 }, { unit: 0, entryType: 'innovation' }, { unit: 1 }, { unit: 1, entryType: 'innovation' }]);
      e = w.entries.map((x) => x.id);
      track = (await createTrack(t, w.organizer, w.contest.id, { name: '综合组' })).id;
      otherTrack = (await createTrack(t, w.organizer, w.contest.id, { name: '备用组' })).id;
      await placeTracks(t, w.organizer, w.contest.id);
      const make = async (over: Record<string, unknown> = {}, name?: string) => {
        const made = await createExpert(t, w.organizer, { ...over, ...(name ? { name } : {}) });
        return { id: made.id, token: made.account.token };
      };
      x = [
        await make({}, '张组长'), // 0: leader
        await make({ employerEnterpriseId: w.entries[0]!.enterpriseId }, '李专家'), // 1: works for entry 0's enterprise
        await make({ employerUnitId: w.units[1]!.id }, '王专家'), // 2: works for unit 1 (entries 2 and 3)
        await make({}, '赵专家'), // 3
        await make({}, '钱专家'), // 4: not on the panel
        await make({}, '孙专家'), // 5: joins later
      ];
    });

    it('creates a panel (leader included automatically); Chinese and emoji round-trip', async () => {
      const res = await t.http().post(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer))
        .send({ trackId: track, name: '第一评审组 🏅', leaderExpertId: x[0]!.id, memberExpertIds: [x[3]!.id, x[1]!.id, x[2]!.id] }).expect(201);
      panel = res.body;
      expect(panel).toMatchObject({ contestId: w.contest.id, trackId: track, name: '第一评审组 🏅', leaderExpertId: x[0]!.id, leader: { id: x[0]!.id, name: '张组长' } });
      expect(panel.members.map((m) => m.id)).toEqual([x[0]!.id, x[1]!.id, x[2]!.id, x[3]!.id]);
      const list = await t.http().get(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer)).expect(200);
      expect(list.body).toMatchObject({ total: 1, page: 1 });
      expect(list.body.items[0]).toEqual(panel);
    });

    it('refuses a second panel for the track, a taken name and bad input, writing nothing', async () => {
      let res = await t.http().post(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer))
        .send({ trackId: track, name: '第二评审组', leaderExpertId: x[3]!.id, memberExpertIds: [] }).expect(409);
      expectErrorBody(res.body, 409, 'track_has_panel');
      res = await t.http().post(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer))
        .send({ trackId: otherTrack, name: '第一评审组 🏅', leaderExpertId: x[3]!.id, memberExpertIds: [] }).expect(409);
      expectErrorBody(res.body, 409, 'panel_name_taken');
      res = await t.http().post(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer))
        .send({ trackId: otherTrack, name: '第三评审组', leaderExpertId: 999999, memberExpertIds: [x[3]!.id, 888888] }).expect(400);
      expect(fields(res.body)).toEqual({ leaderExpertId: 'expert_not_found', 'memberExpertIds.1': 'expert_not_found' });
      res = await t.http().post(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer))
        .send({ trackId: 999999, name: '第三评审组', leaderExpertId: x[3]!.id, memberExpertIds: [] }).expect(400);
      expect(fields(res.body)).toEqual({ trackId: 'track_not_found' });
      res = await t.http().post(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer))
        .send({ trackId: otherTrack, name: '', memberExpertIds: 'x', color: 'red' }).expect(400);
      expect(fields(res.body)).toEqual({ name: 'min_length', leaderExpertId: 'required', memberExpertIds: 'is_array', color: 'unknown_field' });
      res = await t.http().post(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer))
        .send({ trackId: otherTrack, name: '组', leaderExpertId: x[3]!.id, memberExpertIds: [x[1]!.id, x[1]!.id] }).expect(400);
      expect(fields(res.body)).toEqual({ memberExpertIds: 'array_unique' });
      expectErrorBody((await t.http().post('/api/contests/999999/panels').set(auth(w.organizer))
        .send({ trackId: track, name: '组', leaderExpertId: x[3]!.id, memberExpertIds: [] }).expect(404)).body, 404, 'not_found');
      const list = await t.http().get(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer)).expect(200);
      expect(list.body.total).toBe(1);
    });

    it('lists the automatic conflicts (employer enterprise and employer unit) without storing them', async () => {
      const res = await t.http().get(`/api/contests/${w.contest.id}/conflicts`).set(auth(w.organizer)).expect(200);
      expect(res.body.items.map((c: Pair & { source: string; id: number | null }) => [c.expertId, c.entryId, c.source, c.id])).toEqual([
        [x[1]!.id, e[0], 'employer_enterprise', null],
        [x[2]!.id, e[2], 'employer_unit', null],
        [x[2]!.id, e[3], 'employer_unit', null],
      ]);
      expect(res.body.items[0]).toMatchObject({ expertName: '李专家', entryTitle: w.entries[0]!.title, reason: expect.any(String), declaredBy: null });
      const rows = await t.dataSource.query('SELECT COUNT(*) AS n FROM declared_conflicts');
      expect(Number(rows[0].n)).toBe(0);
    });

    it('default assignment: every member × every entry, except conflicts, which are reported', async () => {
      const res = await t.http().post(`/api/panels/${panel.id}/assignments/default`).set(auth(w.organizer)).expect(200);
      expect(res.body.pairs).toHaveLength(13);
      expect(res.body.skipped).toEqual([
        { expertId: x[1]!.id, entryId: e[0], source: 'employer_enterprise', reason: expect.any(String) },
        { expertId: x[2]!.id, entryId: e[2], source: 'employer_unit', reason: expect.any(String) },
        { expertId: x[2]!.id, entryId: e[3], source: 'employer_unit', reason: expect.any(String) },
      ].sort((a, b) => a.entryId - b.entryId || a.expertId - b.expertId));
      expect(res.body.unjudged).toEqual([]);
      const stored = await t.http().get(`/api/contests/${w.contest.id}/assignments?pageSize=200`).set(auth(w.organizer)).expect(200);
      expect(stored.body.total).toBe(13);
      expect(stored.body.items.map(key).sort()).toEqual(res.body.pairs.map(key).sort());
      expect(stored.body.items[0]).toMatchObject({ panelId: panel.id, expertName: expect.any(String), entryTitle: expect.any(String) });
      // Running it again replaces, never duplicates, and pairs that stay keep their ids.
      await assignDefault(t, w.organizer, panel.id);
      const again = await t.http().get(`/api/contests/${w.contest.id}/assignments?pageSize=200`).set(auth(w.organizer)).expect(200);
      expect(again.body.total).toBe(13);
      expect(again.body.items.map((a: { id: number }) => a.id).sort()).toEqual(stored.body.items.map((a: { id: number }) => a.id).sort());
    });

    it('an expert declares a conflict for an entry of its track: stored with its source, its assignment removed (audited)', async () => {
      const res = await t.http().post(`/api/entries/${e[1]}/conflicts`).set(auth(x[3]!.token)).send({ reason: '曾担任该小组顾问 🙏' }).expect(201);
      expect(res.body).toMatchObject({ expertId: x[3]!.id, entryId: e[1], source: 'declared_by_expert', reason: '曾担任该小组顾问 🙏', id: expect.any(Number) });
      const left = await t.http().get(`/api/contests/${w.contest.id}/assignments?expertId=${x[3]!.id}&entryId=${e[1]}`).set(auth(w.organizer)).expect(200);
      expect(left.body.total).toBe(0);
      const audit = await t.http().get('/api/audit?action=presentation.assignment.remove').set(auth(w.admin)).expect(200);
      expect(audit.body.items[0]).toMatchObject({ action: 'presentation.assignment.remove', after: { reason: 'conflict_declared' } });
      expectErrorBody((await t.http().post(`/api/entries/${e[1]}/conflicts`).set(auth(x[3]!.token)).send({ reason: '再次申报' }).expect(409)).body, 409, 'conflict_already_declared');
    });

    it('refuses a declaration for an entry outside the expert’s panels (404) and bad reasons (400)', async () => {
      expectErrorBody((await t.http().post(`/api/entries/${e[0]}/conflicts`).set(auth(x[4]!.token)).send({ reason: '亲属' }).expect(404)).body, 404, 'not_found');
      expectErrorBody((await t.http().post('/api/entries/999999/conflicts').set(auth(x[3]!.token)).send({ reason: '亲属' }).expect(404)).body, 404, 'not_found');
      let res = await t.http().post(`/api/entries/${e[0]}/conflicts`).set(auth(x[3]!.token)).send({ reason: '   ' }).expect(400);
      expect(fields(res.body)).toEqual({ reason: 'min_length' });
      expect(res.body.errors[0].message).toBe('不能为空');
      res = await t.http().post(`/api/entries/${e[0]}/conflicts`).set(auth(x[3]!.token)).send({ reason: 'x'.repeat(501) }).expect(400);
      expect(fields(res.body)).toEqual({ reason: 'max_length' });
      res = await t.http().post(`/api/entries/${e[0]}/conflicts`).set(auth(x[3]!.token)).send({}).expect(400);
      expect(fields(res.body)).toEqual({ reason: 'required' });
      const list = await t.http().get(`/api/contests/${w.contest.id}/conflicts?source=declared_by_expert`).set(auth(w.organizer)).expect(200);
      expect(list.body.total).toBe(1);
    });

    it('an organizer declares a conflict for an expert; it removes the assignment; the list shows every source', async () => {
      const res = await t.http().post(`/api/contests/${w.contest.id}/conflicts`).set(auth(w.organizer))
        .send({ expertId: x[0]!.id, entryId: e[0], reason: '组长与该企业有合作项目' }).expect(201);
      expect(res.body).toMatchObject({ source: 'declared_by_organizer', expertId: x[0]!.id, entryId: e[0] });
      expect((await t.http().get(`/api/contests/${w.contest.id}/assignments`).set(auth(w.organizer)).expect(200)).body.total).toBe(11);

      const all = await t.http().get(`/api/contests/${w.contest.id}/conflicts`).set(auth(w.organizer)).expect(200);
      expect(all.body.total).toBe(5);
      expect(all.body.items.map((c: { source: string }) => c.source).sort()).toEqual(['declared_by_expert', 'declared_by_organizer', 'employer_enterprise', 'employer_unit', 'employer_unit']);
      const unit = await t.http().get(`/api/contests/${w.contest.id}/conflicts?source=employer_unit&expertId=${x[2]!.id}`).set(auth(w.organizer)).expect(200);
      expect(unit.body.items.map((c: Pair) => c.entryId)).toEqual([e[2], e[3]]);

      let bad = await t.http().post(`/api/contests/${w.contest.id}/conflicts`).set(auth(w.organizer)).send({ expertId: 999999, entryId: 999999, reason: '原因' }).expect(400);
      expect(fields(bad.body)).toEqual({ expertId: 'expert_not_found', entryId: 'entry_not_found' });
      bad = await t.http().post(`/api/contests/${w.contest.id}/conflicts`).set(auth(w.organizer)).send({ expertId: x[0]!.id, reason: '' }).expect(400);
      expect(fields(bad.body)).toEqual({ entryId: 'required', reason: 'min_length' });
      bad = await t.http().get(`/api/contests/${w.contest.id}/conflicts?source=friendship`).set(auth(w.organizer)).expect(400);
      expect(fields(bad.body)).toEqual({ source: 'is_in' });
      expect((await t.http().get(`/api/contests/${w.contest.id}/conflicts`).set(auth(w.organizer)).expect(200)).body.total).toBe(5);
    });

    it('manual assignment refuses conflicts (naming them), experts off the panel and duplicates', async () => {
      const post = (body: object) => t.http().post(`/api/contests/${w.contest.id}/assignments`).set(auth(w.organizer)).send(body);
      let res = await post({ expertId: x[2]!.id, entryId: e[2] }).expect(409);
      expectErrorBody(res.body, 409, 'conflict_of_interest');
      expect(res.body.details).toEqual({ source: 'employer_unit', reason: expect.any(String) });
      res = await post({ expertId: x[3]!.id, entryId: e[1] }).expect(409);
      expect(res.body.details).toEqual({ source: 'declared_by_expert', reason: '曾担任该小组顾问 🙏' });
      expect(res.body.message).toContain('曾担任该小组顾问');
      res = await post({ expertId: x[1]!.id, entryId: e[0] }).expect(409);
      expect(res.body.details.source).toBe('employer_enterprise');
      expectErrorBody((await post({ expertId: x[4]!.id, entryId: e[0] }).expect(409)).body, 409, 'expert_not_in_panel');
      expectErrorBody((await post({ expertId: x[3]!.id, entryId: e[0] }).expect(409)).body, 409, 'already_assigned');
      res = await post({ expertId: 999999, entryId: e[0] }).expect(400);
      expect(fields(res.body)).toEqual({ expertId: 'expert_not_found' });
      res = await post({ expertId: -1, entryId: '1' }).expect(400);
      expect(fields(res.body)).toEqual({ expertId: 'min', entryId: 'is_int' });
      expect((await t.http().get(`/api/contests/${w.contest.id}/assignments`).set(auth(w.organizer)).expect(200)).body.total).toBe(11);
    });

    it('removes and re-adds one assignment by hand', async () => {
      const found = await t.http().get(`/api/contests/${w.contest.id}/assignments?expertId=${x[3]!.id}&entryId=${e[0]}`).set(auth(w.organizer)).expect(200);
      const id = found.body.items[0].id;
      await t.http().delete(`/api/assignments/${id}`).set(auth(w.organizer)).expect(204);
      expectErrorBody((await t.http().delete(`/api/assignments/${id}`).set(auth(w.organizer)).expect(404)).body, 404, 'not_found');
      const res = await t.http().post(`/api/contests/${w.contest.id}/assignments`).set(auth(w.organizer)).send({ expertId: x[3]!.id, entryId: e[0] }).expect(201);
      expect(res.body).toMatchObject({ expertId: x[3]!.id, entryId: e[0], panelId: panel.id, expertName: '赵专家', entryTitle: w.entries[0]!.title });
    });

    it('reports entries below a minimum number of judges', async () => {
      // Judges now: e0 {x2,x3}, e1 {x0,x1,x2}, e2 {x0,x1,x3}, e3 {x0,x1,x3}.
      let res = await t.http().get(`/api/contests/${w.contest.id}/assignments/report?min=3`).set(auth(w.organizer)).expect(200);
      expect(res.body).toMatchObject({ min: 3, total: 1 });
      expect(res.body.items).toEqual([{ entryId: e[0], title: w.entries[0]!.title, trackId: track, status: 'passed', judges: 2 }]);
      res = await t.http().get(`/api/contests/${w.contest.id}/assignments/report?min=4`).set(auth(w.organizer)).expect(200);
      expect(res.body.items.map((i: { entryId: number; judges: number }) => [i.entryId, i.judges])).toEqual([[e[0], 2], [e[1], 3], [e[2], 3], [e[3], 3]]);
      expect(fields((await t.http().get(`/api/contests/${w.contest.id}/assignments/report?min=0`).set(auth(w.organizer)).expect(400)).body)).toEqual({ min: 'min' });
      expect(fields((await t.http().get(`/api/contests/${w.contest.id}/assignments/report`).set(auth(w.organizer)).expect(400)).body)).toEqual({ min: 'required' });
      expect(fields((await t.http().get(`/api/contests/${w.contest.id}/assignments/report?min=abc`).set(auth(w.organizer)).expect(400)).body)).toEqual({ min: 'is_int' });
    });

    it('automatic assignment: balanced, deterministic for a seed, never conflicted; reports the entries below the minimum', async () => {
      const body = { minJudgesPerEntry: 2, maxLoadPerExpert: 2, seed: '抽签种子-2020' };
      const res = await t.http().post(`/api/panels/${panel.id}/assignments/auto`).set(auth(w.organizer)).send(body).expect(200);
      expect(res.body).toMatchObject({ panelId: panel.id, belowMinimum: [], balanced: true });
      expect(res.body.pairs).toHaveLength(8);
      expect(res.body.loads.map((l: { load: number }) => l.load)).toEqual([2, 2, 2, 2]);
      const conflicted = new Set([`${x[1]!.id}:${e[0]}`, `${x[2]!.id}:${e[2]}`, `${x[2]!.id}:${e[3]}`, `${x[3]!.id}:${e[1]}`, `${x[0]!.id}:${e[0]}`]);
      for (const p of res.body.pairs) expect(conflicted.has(key(p))).toBe(false);
      const stored = await t.http().get(`/api/contests/${w.contest.id}/assignments?panelId=${panel.id}`).set(auth(w.organizer)).expect(200);
      expect(stored.body.items.map(key).sort()).toEqual(res.body.pairs.map(key).sort());
      const again = await t.http().post(`/api/panels/${panel.id}/assignments/auto`).set(auth(w.organizer)).send(body).expect(200);
      expect(again.body.pairs).toEqual(res.body.pairs);

      const short = await t.http().post(`/api/panels/${panel.id}/assignments/auto`).set(auth(w.organizer)).send({ minJudgesPerEntry: 3, maxLoadPerExpert: 10, seed: 's' }).expect(200);
      expect(short.body.belowMinimum).toEqual([{ entryId: e[0], assigned: 2, required: 3, eligible: 2, reason: 'too_few_eligible_experts' }]);
      const report = await t.http().get(`/api/contests/${w.contest.id}/assignments/report?min=3`).set(auth(w.organizer)).expect(200);
      expect(report.body.items.map((i: { entryId: number }) => i.entryId)).toEqual([e[0]]);
    });

    it('refuses bad automatic parameters and unknown panels, keeping the assignments', async () => {
      const before = (await t.http().get(`/api/contests/${w.contest.id}/assignments`).set(auth(w.organizer)).expect(200)).body.total;
      let res = await t.http().post(`/api/panels/${panel.id}/assignments/auto`).set(auth(w.organizer)).send({ minJudgesPerEntry: 0, maxLoadPerExpert: 1.5, seed: '' }).expect(400);
      expect(fields(res.body)).toEqual({ minJudgesPerEntry: 'min', maxLoadPerExpert: 'is_int', seed: 'min_length' });
      res = await t.http().post(`/api/panels/${panel.id}/assignments/auto`).set(auth(w.organizer)).send({}).expect(400);
      expect(fields(res.body)).toEqual({ minJudgesPerEntry: 'required', maxLoadPerExpert: 'required', seed: 'required' });
      expectErrorBody((await t.http().post('/api/panels/999999/assignments/auto').set(auth(w.organizer)).send({ minJudgesPerEntry: 1, maxLoadPerExpert: 1, seed: 's' }).expect(404)).body, 404, 'not_found');
      expectErrorBody((await t.http().post('/api/panels/999999/assignments/default').set(auth(w.organizer)).expect(404)).body, 404, 'not_found');
      expect((await t.http().get(`/api/contests/${w.contest.id}/assignments`).set(auth(w.organizer)).expect(200)).body.total).toBe(before);
    });

    it('edits a panel: a new leader stays a member; members who leave lose their assignments in it', async () => {
      await assignDefault(t, w.organizer, panel.id);
      const res = await t.http().patch(`/api/panels/${panel.id}`).set(auth(w.organizer))
        .send({ name: '第一评审组（调整）', leaderExpertId: x[3]!.id, memberExpertIds: [x[1]!.id, x[2]!.id, x[5]!.id] }).expect(200);
      expect(res.body).toMatchObject({ name: '第一评审组（调整）', leaderExpertId: x[3]!.id, leader: { id: x[3]!.id } });
      expect(res.body.members.map((m: { id: number }) => m.id)).toEqual([x[1]!.id, x[2]!.id, x[3]!.id, x[5]!.id]);
      expect((await t.http().get(`/api/contests/${w.contest.id}/assignments?expertId=${x[0]!.id}`).set(auth(w.organizer)).expect(200)).body.total).toBe(0);
      expect((await t.http().get(`/api/contests/${w.contest.id}/assignments?expertId=${x[1]!.id}`).set(auth(w.organizer)).expect(200)).body.total).toBe(3);

      const leader = await t.http().patch(`/api/panels/${panel.id}`).set(auth(w.organizer)).send({ leaderExpertId: x[4]!.id }).expect(200);
      expect(leader.body.members.map((m: { id: number }) => m.id)).toEqual([x[1]!.id, x[2]!.id, x[3]!.id, x[4]!.id, x[5]!.id]);

      let bad = await t.http().patch(`/api/panels/${panel.id}`).set(auth(w.organizer)).send({ name: null, memberExpertIds: [777777] }).expect(400);
      expect(fields(bad.body)).toEqual({ name: 'required' });
      bad = await t.http().patch(`/api/panels/${panel.id}`).set(auth(w.organizer)).send({ memberExpertIds: [777777] }).expect(400);
      expect(fields(bad.body)).toEqual({ 'memberExpertIds.0': 'expert_not_found' });
      expectErrorBody((await t.http().patch('/api/panels/999999').set(auth(w.organizer)).send({ name: '无' }).expect(404)).body, 404, 'not_found');
      const list = await t.http().get(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer)).expect(200);
      expect(list.body.items[0].name).toBe('第一评审组（调整）');
    });

    it('moving an entry to another track drops its assignments in the old panel (audited)', async () => {
      const res = await t.http().patch(`/api/entries/${e[3]}/track`).set(auth(w.organizer)).send({ trackId: otherTrack }).expect(200);
      expect(res.body.removedAssignments).toBeGreaterThan(0);
      expect((await t.http().get(`/api/contests/${w.contest.id}/assignments?entryId=${e[3]}`).set(auth(w.organizer)).expect(200)).body.total).toBe(0);
      const audit = await t.http().get('/api/audit?action=presentation.entry.track').set(auth(w.admin)).expect(200);
      expect(audit.body.items[0]).toMatchObject({ targetId: String(e[3]), after: { trackId: otherTrack } });
      const v = await t.http().post('/api/audit/verify').set(auth(w.admin)).expect(200);
      expect(v.body.ok).toBe(true);
    });
  });
});
