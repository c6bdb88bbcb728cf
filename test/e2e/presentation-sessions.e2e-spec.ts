import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { commitSeed, drawOrder } from '../../src/judging/order-draw.js';
import { createTrack } from '../factories/contests.js';
import { createExpert } from '../factories/organisations.js';
import { assignDefault, commitAndDraw, createPanel, placeTracks, reviewWorld, type ReviewWorld, type SessionOut, type SlotOut } from '../factories/presentation.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

// Building a contest through the API takes seconds on a busy machine (the config's testTimeout is not applied per project).
jest.setTimeout(120_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const fields = (body: { errors?: { field: string; code: string }[] }) => Object.fromEntries((body.errors ?? []).map((e) => [e.field, e.code]));
const blockerCodes = (body: { details?: { blockers?: { code: string }[] }; blockers?: { code: string }[] }) =>
  (body.details?.blockers ?? body.blockers ?? []).map((b) => b.code);

describe(`presentation sessions, draw, check-in and schedules (${TEST_DB})`, () => {
  let t: TestApp;
  let w: ReviewWorld;
  let e: number[];
  let track: number;
  let otherTrack: number;
  let panel: number;
  let otherPanel: number;
  let x: { id: number; token: string }[];
  let s1: SessionOut;
  let s2: SessionOut;
  let seed: string;
  let drawn: number[];
  let current: number[];

  const status = async (entryId: number) => (await t.http().get(`/api/entries/${entryId}`).set(auth(w.organizer)).expect(200)).body.status;
  const session = async (id: number): Promise<SessionOut> => (await t.http().get(`/api/sessions/${id}`).set(auth(w.organizer)).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    w = await reviewWorld(t, [{}, {}, { entryType: 'innovation' }, { unit: 1 }]);
    e = w.entries.map((z) => z.id);
    track = (await createTrack(t, w.organizer, w.contest.id, { name: '制造类' })).id;
    await placeTracks(t, w.organizer, w.contest.id);
    otherTrack = (await createTrack(t, w.organizer, w.contest.id, { name: '空组' })).id;
    const make = async (over: Record<string, unknown> = {}) => {
      const made = await createExpert(t, w.organizer, over);
      return { id: made.id, token: made.account.token };
    };
    x = [await make(), await make({ employerEnterpriseId: w.entries[0]!.enterpriseId }), await make(), await make()];
    panel = (await createPanel(t, w.organizer, w.contest.id, { trackId: track, leaderExpertId: x[0]!.id, memberExpertIds: [x[1]!.id, x[2]!.id] })).id;
    otherPanel = (await createPanel(t, w.organizer, w.contest.id, { trackId: otherTrack, leaderExpertId: x[3]!.id })).id;
    await assignDefault(t, w.organizer, panel);
  });
  afterAll(() => t.close());

  it('keeps the contest in review while passed entries are not scheduled (sessions_not_scheduled)', async () => {
    const res = await t.http().post(`/api/contests/${w.contest.id}/phase`).set(auth(w.organizer)).send({ to: 'presentation' }).expect(409);
    expectErrorBody(res.body, 409, 'phase_blocked');
    expect(blockerCodes(res.body)).toEqual(['sessions_not_scheduled']);
  });

  it('refuses bad session input (zero-length slot, bad times, foreign panel or entry), writing nothing', async () => {
    const base = { trackId: track, panelId: panel, name: '第一场', venue: '一号厅', startsAt: '2030-06-01T09:00:00+08:00', slotMinutes: 15, qaMinutes: 5 };
    const post = (over: Record<string, unknown>) => t.http().post(`/api/contests/${w.contest.id}/sessions`).set(auth(w.organizer)).send({ ...base, ...over });
    expect(fields((await post({ slotMinutes: 0 }).expect(400)).body)).toEqual({ slotMinutes: 'min' });
    expect(fields((await post({ slotMinutes: 121, qaMinutes: 61 }).expect(400)).body)).toEqual({ slotMinutes: 'max', qaMinutes: 'max' });
    expect(fields((await post({ qaMinutes: -1 }).expect(400)).body)).toEqual({ qaMinutes: 'min' });
    expect(fields((await post({ startsAt: '明天上午' }).expect(400)).body)).toEqual({ startsAt: 'is_iso8601' });
    expect(fields((await post({ startsAt: '2030-06-01T09:00:00' }).expect(400)).body)).toEqual({ startsAt: 'matches' });
    expect(fields((await post({ panelId: otherPanel }).expect(400)).body)).toEqual({ panelId: 'panel_track_mismatch' });
    expect(fields((await post({ trackId: 999999, panelId: 999999 }).expect(400)).body)).toEqual({ trackId: 'track_not_found', panelId: 'panel_not_found' });
    expect(fields((await post({ entryIds: [e[0], 999999] }).expect(400)).body)).toEqual({ 'entryIds.1': 'entry_not_found' });
    expect(fields((await post({ entryIds: [] }).expect(400)).body)).toEqual({ entryIds: 'required' });
    expect(fields((await post({ name: '', venue: 'x'.repeat(201), extra: true }).expect(400)).body)).toEqual({ name: 'min_length', venue: 'max_length', extra: 'unknown_field' });
    expectErrorBody((await t.http().post('/api/contests/999999/sessions').set(auth(w.organizer)).send(base).expect(404)).body, 404, 'not_found');
    expect((await t.http().get(`/api/contests/${w.contest.id}/sessions`).set(auth(w.organizer)).expect(200)).body.total).toBe(0);
    for (const id of e) expect(await status(id)).toBe('passed');
  });

  it('creates a session: slots without positions, entries scheduled on their timeline; Chinese and emoji round-trip', async () => {
    const res = await t.http().post(`/api/contests/${w.contest.id}/sessions`).set(auth(w.organizer)).send({
      trackId: track, panelId: panel, name: '第一场 现场发表 🎤', venue: '滨海新区会议中心 A 厅', startsAt: '2030-06-01T09:00:00+08:00', slotMinutes: 15, qaMinutes: 5, entryIds: [e[2], e[0], e[1]],
    }).expect(201);
    s1 = res.body;
    expect(s1).toMatchObject({
      contestId: w.contest.id, trackId: track, panelId: panel, name: '第一场 现场发表 🎤', venue: '滨海新区会议中心 A 厅',
      startsAt: '2030-06-01T01:00:00.000Z', endsAt: '2030-06-01T02:00:00.000Z', entryCount: 3, commitment: null, seed: null, drawnAt: null,
    });
    expect(s1.slots.map((s) => s.entryId)).toEqual([e[0], e[1], e[2]]);
    expect(s1.slots[0]).toMatchObject({ title: w.entries[0]!.title, teamName: expect.any(String), enterpriseName: expect.any(String), position: null, startsAt: null, attendance: 'pending', entryStatus: 'scheduled' });
    expect(await status(e[0]!)).toBe('scheduled');
    const events = await t.http().get(`/api/entries/${e[0]}/events`).set(auth(w.enterprises[0]!.token)).expect(200);
    expect(events.body.items.at(-1)).toMatchObject({ fromStatus: 'passed', toStatus: 'scheduled', actorRole: 'organizer', reason: expect.stringContaining('第一场') });
    expect((await session(s1.id)).name).toBe('第一场 现场发表 🎤');
  });

  it('refuses an overlapping session in the same venue (naming it) and an entry already in a session', async () => {
    const body = { trackId: track, panelId: panel, name: '第二场', venue: '滨海新区会议中心 A 厅', startsAt: '2030-06-01T01:30:00Z', slotMinutes: 15, qaMinutes: 5 };
    const post = (over: Record<string, unknown> = {}) => t.http().post(`/api/contests/${w.contest.id}/sessions`).set(auth(w.organizer)).send({ ...body, ...over });
    let res = await post().expect(409);
    expectErrorBody(res.body, 409, 'venue_overlap');
    expect(res.body.details).toMatchObject({ sessionId: s1.id, name: '第一场 现场发表 🎤', endsAt: '2030-06-01T02:00:00.000Z' });
    expect(res.body.message).toContain('第一场 现场发表 🎤');
    // The same room typed differently (case, full-width letters) is the same venue on both databases.
    expectErrorBody((await post({ venue: '滨海新区会议中心 ａ 厅' }).expect(409)).body, 409, 'venue_overlap');
    // Starts before and runs into the first session.
    expectErrorBody((await post({ startsAt: '2030-06-01T00:45:00Z' }).expect(409)).body, 409, 'venue_overlap');
    res = await post({ venue: '二号厅', entryIds: [e[0]] }).expect(409);
    expectErrorBody(res.body, 409, 'entry_already_scheduled');
    expect(res.body.details.entries).toEqual([{ entryId: e[0], sessionId: s1.id }]);
    expect(await status(e[3]!)).toBe('passed');
    // Back to back in the same venue is fine; by default it takes the track's unscheduled entries.
    s2 = (await post({ startsAt: '2030-06-01T02:00:00Z' }).expect(201)).body;
    expect(s2.slots.map((s) => s.entryId)).toEqual([e[3]]);
    expect(s2.endsAt).toBe('2030-06-01T02:20:00.000Z');
    expectErrorBody((await post({ venue: '三号厅', startsAt: '2030-06-02T02:00:00Z' }).expect(409)).body, 409, 'no_entries_to_schedule');
    const list = await t.http().get(`/api/contests/${w.contest.id}/sessions`).set(auth(w.organizer)).expect(200);
    expect(list.body.items.map((s: SessionOut) => [s.id, s.entryCount])).toEqual([[s1.id, 3], [s2.id, 1]]);
  });

  it('no longer blocks the move to presentation on sessions once every passed entry is scheduled', async () => {
    const res = await t.http().get(`/api/contests/${w.contest.id}/phase`).set(auth(w.organizer)).expect(200);
    expect(res.body).toMatchObject({ phase: 'review', next: 'presentation', ready: true, blockers: [] });
  });

  it('refuses to draw before a commitment, swaps before the draw, and bad commitments', async () => {
    expectErrorBody((await t.http().post(`/api/sessions/${s1.id}/draw`).set(auth(w.organizer)).send({ seed: 'abc' }).expect(409)).body, 409, 'not_committed');
    expectErrorBody((await t.http().post(`/api/sessions/${s1.id}/swap`).set(auth(w.organizer)).send({ entryA: e[0], entryB: e[1], reason: '调整' }).expect(409)).body, 409, 'not_drawn');
    expect(fields((await t.http().post(`/api/sessions/${s1.id}/commit`).set(auth(w.organizer)).send({ commitment: 'abc' }).expect(400)).body)).toEqual({ commitment: 'matches' });
    expect(fields((await t.http().post(`/api/sessions/${s1.id}/commit`).set(auth(w.organizer)).send({ commitment: 'g'.repeat(64) }).expect(400)).body)).toEqual({ commitment: 'matches' });
    expect(fields((await t.http().post(`/api/sessions/${s1.id}/commit`).set(auth(w.organizer)).send({}).expect(400)).body)).toEqual({ commitment: 'required' });
    expectErrorBody((await t.http().post('/api/sessions/999999/commit').set(auth(w.organizer)).send({ commitment: 'a'.repeat(64) }).expect(404)).body, 404, 'not_found');
    expect((await session(s1.id)).commitment).toBeNull();
  });

  it('commit → draw → public verification: anyone recomputes the order from the revealed seed', async () => {
    seed = '滨海新区 2020 现场发表抽签 🎲 7f3a9c';
    const commitment = commitSeed(seed);
    const committed = await t.http().post(`/api/sessions/${s1.id}/commit`).set(auth(w.organizer)).send({ commitment: commitment.toUpperCase() }).expect(200);
    expect(committed.body).toMatchObject({ commitment, committedAt: expect.any(String), seed: null });

    let pub = await t.http().get(`/api/public/sessions/${s1.id}/draw`).expect(200);
    expect(pub.body).toMatchObject({ sessionId: s1.id, commitment, seed: null, drawnAt: null, order: null, entryIds: [e[0], e[1], e[2]] });

    const wrong = await t.http().post(`/api/sessions/${s1.id}/draw`).set(auth(w.organizer)).send({ seed: seed + 'x' }).expect(409);
    expectErrorBody(wrong.body, 409, 'seed_mismatch');
    expect((await session(s1.id)).slots.every((s) => s.position === null)).toBe(true);

    const res = await t.http().post(`/api/sessions/${s1.id}/draw`).set(auth(w.organizer)).send({ seed }).expect(200);
    expect(res.body).toMatchObject({ seed, drawnAt: expect.any(String) });
    drawn = drawOrder(seed, [e[0]!, e[1]!, e[2]!]);
    expect(res.body.slots.map((s: SlotOut) => [s.entryId, s.position, s.startsAt])).toEqual([
      [drawn[0], 1, '2030-06-01T01:00:00.000Z'],
      [drawn[1], 2, '2030-06-01T01:20:00.000Z'],
      [drawn[2], 3, '2030-06-01T01:40:00.000Z'],
    ]);

    pub = await t.http().get(`/api/public/sessions/${s1.id}/draw`).expect(200);
    expect(pub.body).toMatchObject({ sessionId: s1.id, commitment, seed, entryIds: [e[0], e[1], e[2]], drawnAt: expect.any(String) });
    expect(commitSeed(pub.body.seed)).toBe(pub.body.commitment);
    expect(drawOrder(pub.body.seed, pub.body.entryIds)).toEqual(pub.body.order);
    expect(pub.body.order).toEqual(drawn);
    expect(pub.body.currentOrder).toEqual(drawn);
    expect(pub.body.algorithm).toContain('HMAC-SHA256');

    expectErrorBody((await t.http().post(`/api/sessions/${s1.id}/draw`).set(auth(w.organizer)).send({ seed }).expect(409)).body, 409, 'already_drawn');
    expectErrorBody((await t.http().post(`/api/sessions/${s1.id}/commit`).set(auth(w.organizer)).send({ commitment: commitSeed('another') }).expect(409)).body, 409, 'already_drawn');
    expectErrorBody((await t.http().get('/api/public/sessions/999999/draw').expect(404)).body, 404, 'not_found');
    const audit = await t.http().get('/api/audit?action=presentation.session.draw').set(auth(w.organizer)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ targetId: String(s1.id), after: { seed, order: drawn } });
  });

  it('swaps two places after the draw with a required reason (audited); the drawn order stays verifiable', async () => {
    const swap = (body: object) => t.http().post(`/api/sessions/${s1.id}/swap`).set(auth(w.organizer)).send(body);
    expect(fields((await swap({ entryA: drawn[0], entryB: drawn[2] }).expect(400)).body)).toEqual({ reason: 'required' });
    expect(fields((await swap({ entryA: drawn[0], entryB: drawn[2], reason: ' ' }).expect(400)).body)).toEqual({ reason: 'min_length' });
    expect(fields((await swap({ entryA: drawn[0], entryB: e[3], reason: '调整' }).expect(400)).body)).toEqual({ entryB: 'entry_not_in_session' });
    expect(fields((await swap({ entryA: drawn[0], entryB: drawn[0], reason: '调整' }).expect(400)).body)).toEqual({ entryB: 'same_entry' });
    const res = await swap({ entryA: drawn[0], entryB: drawn[2], reason: '发表人航班延误 ✈️' }).expect(200);
    current = [drawn[2]!, drawn[1]!, drawn[0]!];
    expect(res.body.slots.map((s: SlotOut) => [s.entryId, s.position, s.startsAt])).toEqual([
      [current[0], 1, '2030-06-01T01:00:00.000Z'],
      [current[1], 2, '2030-06-01T01:20:00.000Z'],
      [current[2], 3, '2030-06-01T01:40:00.000Z'],
    ]);
    const pub = await t.http().get(`/api/public/sessions/${s1.id}/draw`).expect(200);
    expect(pub.body.order).toEqual(drawn);
    expect(pub.body.currentOrder).toEqual(current);
    const audit = await t.http().get('/api/audit?action=presentation.session.swap').set(auth(w.organizer)).expect(200);
    expect(audit.body.items[0].after).toMatchObject({ reason: '发表人航班延误 ✈️' });
  });

  it('refuses to move a scheduled entry to another track', async () => {
    expectErrorBody((await t.http().patch(`/api/entries/${e[0]}/track`).set(auth(w.organizer)).send({ trackId: otherTrack }).expect(409)).body, 409, 'entry_in_session');
  });

  it('refuses check-in outside the presentation phase, then moves the contest to presentation', async () => {
    const res = await t.http().post(`/api/sessions/${s1.id}/check-in`).set(auth(w.organizer)).send({ entryId: current[0], attendance: 'present' }).expect(409);
    expectErrorBody(res.body, 409, 'wrong_phase');
    expect(await status(current[0]!)).toBe('scheduled');
    const moved = await t.http().post(`/api/contests/${w.contest.id}/phase`).set(auth(w.organizer)).send({ to: 'presentation' }).expect(200);
    expect(moved.body.phase).toBe('presentation');
  });

  it('checks entries in as present or absent (status, timeline, audit); refuses changes, undrawn sessions and strangers', async () => {
    expectErrorBody((await t.http().post(`/api/sessions/${s2.id}/check-in`).set(auth(w.organizer)).send({ entryId: e[3], attendance: 'present' }).expect(409)).body, 409, 'not_drawn');
    const checkIn = (entryId: number | undefined, attendance: string) => t.http().post(`/api/sessions/${s1.id}/check-in`).set(auth(w.organizer)).send({ entryId, attendance });
    let res = await checkIn(current[0], 'present').expect(200);
    expect(res.body).toMatchObject({ sessionId: s1.id, entryId: current[0], position: 1, attendance: 'present', entryStatus: 'presented', checkedAt: expect.any(String) });
    res = await checkIn(current[1], 'absent').expect(200);
    expect(res.body).toMatchObject({ attendance: 'absent', entryStatus: 'absent' });
    expect(await status(current[1]!)).toBe('absent');
    // The same answer twice is harmless; a different one is refused.
    expect((await checkIn(current[0], 'present').expect(200)).body.attendance).toBe('present');
    expectErrorBody((await checkIn(current[0], 'absent').expect(409)).body, 409, 'already_checked_in');
    expect(fields((await checkIn(e[3], 'present').expect(400)).body)).toEqual({ entryId: 'entry_not_in_session' });
    expect(fields((await checkIn(current[2], 'late').expect(400)).body)).toEqual({ attendance: 'is_in' });
    expect(fields((await checkIn(undefined, 'present').expect(400)).body)).toEqual({ entryId: 'required' });
    expectErrorBody((await t.http().post(`/api/sessions/${s1.id}/swap`).set(auth(w.organizer)).send({ entryA: current[0], entryB: current[2], reason: '调整' }).expect(409)).body, 409, 'already_checked_in');

    const events = await t.http().get(`/api/entries/${current[1]}/events`).set(auth(w.organizer)).expect(200);
    expect(events.body.items.slice(-2).map((ev: { fromStatus: string; toStatus: string }) => [ev.fromStatus, ev.toStatus])).toEqual([['passed', 'scheduled'], ['scheduled', 'absent']]);
    const audit = await t.http().get(`/api/audit?action=presentation.entry.check_in&targetId=${current[1]}`).set(auth(w.organizer)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ before: { status: 'scheduled' }, after: { status: 'absent' } });
    const s = await session(s1.id);
    expect(s.slots.map((sl) => sl.attendance)).toEqual(['present', 'absent', 'pending']);
  });

  it('reports pending presentations to the move to finalizing until every entry is checked in', async () => {
    let res = await t.http().get(`/api/contests/${w.contest.id}/phase`).set(auth(w.organizer)).expect(200);
    expect(res.body.next).toBe('finalizing');
    expect(res.body.blockers.find((b: { code: string }) => b.code === 'presentations_pending')).toMatchObject({ count: 2 });
    await commitAndDraw(t, w.organizer, s2.id);
    await t.http().post(`/api/sessions/${s1.id}/check-in`).set(auth(w.organizer)).send({ entryId: current[2], attendance: 'present' }).expect(200);
    await t.http().post(`/api/sessions/${s2.id}/check-in`).set(auth(w.organizer)).send({ entryId: e[3], attendance: 'present' }).expect(200);
    res = await t.http().get(`/api/contests/${w.contest.id}/phase`).set(auth(w.organizer)).expect(200);
    expect(blockerCodes(res.body)).not.toContain('presentations_pending');
    expect(res.body.blockers.filter((b: { fact?: string }) => b.fact === 'pendingPresentationCount')).toEqual([]);
  });

  it("shows an enterprise its own entry's schedule only", async () => {
    const i = e.indexOf(current[0]!);
    const res = await t.http().get(`/api/entries/${current[0]}/schedule`).set(auth(w.enterprises[i]!.token)).expect(200);
    expect(res.body).toEqual({
      entryId: current[0], title: w.entries[i]!.title, status: 'presented',
      session: { id: s1.id, name: '第一场 现场发表 🎤', venue: '滨海新区会议中心 A 厅', startsAt: '2030-06-01T01:00:00.000Z', slotMinutes: 15, qaMinutes: 5, drawn: true },
      position: 1, startsAt: '2030-06-01T01:00:00.000Z', attendance: 'present',
    });
    const foreign = w.enterprises[(i + 1) % 4]!.token;
    expectErrorBody((await t.http().get(`/api/entries/${current[0]}/schedule`).set(auth(foreign)).expect(404)).body, 404, 'not_found');
    expect((await t.http().get(`/api/entries/${current[0]}/schedule`).set(auth(w.organizer)).expect(200)).body.position).toBe(1);
    expectErrorBody((await t.http().get('/api/entries/999999/schedule').set(auth(w.organizer)).expect(404)).body, 404, 'not_found');
  });

  it("shows an expert its sessions with only its assigned, unconflicted entries in presentation order", async () => {
    const leader = await t.http().get('/api/experts/me/schedule').set(auth(x[0]!.token)).expect(200);
    expect(leader.body.items.map((i: { session: { id: number } }) => i.session.id)).toEqual([s1.id, s2.id]);
    expect(leader.body.items[0].panel).toMatchObject({ id: panel, leader: true });
    expect(leader.body.items[0].entries.map((en: { entryId: number; position: number; attendance: string }) => [en.entryId, en.position, en.attendance])).toEqual([
      [current[0], 1, 'present'], [current[1], 2, 'absent'], [current[2], 3, 'present'],
    ]);
    // Expert 1 works for entry 0's enterprise: entry 0 is neither assigned nor shown to it.
    const conflicted = await t.http().get('/api/experts/me/schedule').set(auth(x[1]!.token)).expect(200);
    expect(conflicted.body.items[0].entries.map((en: { entryId: number }) => en.entryId)).toEqual(current.filter((id) => id !== e[0]));
    expect(conflicted.body.items[0].panel.leader).toBe(false);
    const outsider = await t.http().get('/api/experts/me/schedule').set(auth(x[3]!.token)).expect(200);
    expect(outsider.body.items).toEqual([]);
  });

  it("gives an expert its whole task list in one answer: own unconflicted entries, own sheet states, past years only counted", async () => {
    const tasks = async (token: string) => (await t.http().get('/api/experts/me/tasks').set(auth(token)).expect(200)).body;
    // The leader's own draft of one entry shows as that entry's sheet state, to it alone.
    const mine = (await t.http().get(`/api/entries/${current[0]}/sheets/presentation/mine`).set(auth(x[0]!.token)).expect(200)).body;
    await t.http().put(`/api/entries/${current[0]}/sheets/presentation/draft`).set(auth(x[0]!.token)).send({ marks: {}, comments: {}, lockVersion: mine.lockVersion }).expect(200);
    const leader = await tasks(x[0]!.token);
    expect(leader.expertId).toBe(x[0]!.id);
    expect(leader.sessions.map((i: { session: { id: number } }) => i.session.id)).toEqual([s1.id, s2.id]);
    expect(leader.sessions[0].panel).toEqual({ id: panel, name: expect.any(String), leader: true });
    expect(leader.sessions[0].entries.map((en: { entryId: number; position: number; attendance: string; sheets: unknown[] }) => [en.entryId, en.position, en.attendance, en.sheets])).toEqual([
      [current[0], 1, 'present', [{ stage: 'presentation', status: 'draft', total: null }]], [current[1], 2, 'absent', []], [current[2], 3, 'present', []],
    ]);
    expect(leader.sessions[0].entries[0]).toMatchObject({ contestId: w.contest.id, title: w.entries[e.indexOf(current[0]!)]!.title, enterpriseName: expect.any(String) });
    expect(leader.unscheduled).toEqual([]);
    // 4 entries not absent × 2 stages, none submitted.
    expect(leader.pending).toBe(6);
    expect(leader.past).toEqual({ sessions: 0, submittedSheets: 0 });
    // Another expert of the same panel sees neither the leader's sheet nor the entry it is conflicted on.
    const conflicted = await tasks(x[1]!.token);
    expect(conflicted.sessions[0].entries.map((en: { entryId: number }) => en.entryId)).toEqual(current.filter((id) => id !== e[0]));
    expect(conflicted.sessions.flatMap((i: { entries: { sheets: unknown[] }[] }) => i.entries.flatMap((en) => en.sheets))).toEqual([]);
    expect(conflicted.sessions[0].panel.leader).toBe(false);
    expect(await tasks(x[3]!.token)).toEqual({ expertId: x[3]!.id, sessions: [], unscheduled: [], pending: 0, past: { sessions: 0, submittedSheets: 0 } });
    // Organizers, enterprises and anonymous callers have no task list.
    expectErrorBody((await t.http().get('/api/experts/me/tasks').set(auth(w.organizer)).expect(403)).body, 403, 'forbidden');
    expectErrorBody((await t.http().get('/api/experts/me/tasks').set(auth(w.enterprises[0]!.token)).expect(403)).body, 403, 'forbidden');
    expectErrorBody((await t.http().get('/api/experts/me/tasks').expect(401)).body, 401, 'unauthenticated');
    // Once the contest is past judging, its sessions are only counted.
    const phase = (await t.dataSource.query('SELECT phase FROM contests WHERE id = ?', [w.contest.id]))[0].phase;
    await t.dataSource.query('UPDATE contests SET phase = ? WHERE id = ?', ['published', w.contest.id]);
    try {
      expect(await tasks(x[0]!.token)).toEqual({ expertId: x[0]!.id, sessions: [], unscheduled: [], pending: 0, past: { sessions: 2, submittedSheets: 0 } });
    } finally {
      await t.dataSource.query('UPDATE contests SET phase = ? WHERE id = ?', [phase, w.contest.id]);
    }
  });

  it('lists an expert’s own assignments only, with entry, type, track, session and position', async () => {
    const res = await t.http().get('/api/experts/me/assignments').set(auth(x[1]!.token)).expect(200);
    expect(res.body.expertId).toBe(x[1]!.id);
    expect(res.body.items.map((a: { entryId: number }) => a.entryId).sort()).toEqual([e[1], e[2], e[3]].sort());
    const organizerView = await t.http().get(`/api/contests/${w.contest.id}/assignments?expertId=${x[1]!.id}`).set(auth(w.organizer)).expect(200);
    expect(res.body.items.map((a: { assignmentId: number }) => a.assignmentId).sort()).toEqual(organizerView.body.items.map((a: { id: number }) => a.id).sort());
    const one = res.body.items.find((a: { entryId: number }) => a.entryId === e[2]);
    expect(one).toMatchObject({ title: w.entries[2]!.title, entryType: 'innovation', track: { id: track, name: '制造类' }, session: { id: s1.id, venue: '滨海新区会议中心 A 厅' }, position: current.indexOf(e[2]!) + 1 });
    expect((await t.http().get('/api/experts/me/assignments').set(auth(x[3]!.token)).expect(200)).body).toEqual({ expertId: x[3]!.id, total: 0, items: [] });
  });

  it('shows a session to experts of its panel only', async () => {
    const res = await t.http().get(`/api/sessions/${s1.id}`).set(auth(x[2]!.token)).expect(200);
    expect(res.body.slots).toHaveLength(3);
    expectErrorBody((await t.http().get(`/api/sessions/${s1.id}`).set(auth(x[3]!.token)).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().get('/api/sessions/999999').set(auth(w.organizer)).expect(404)).body, 404, 'not_found');
    const v = await t.http().post('/api/audit/verify').set(auth(w.organizer)).expect(200);
    expect(v.body.ok).toBe(true);
  });
});
