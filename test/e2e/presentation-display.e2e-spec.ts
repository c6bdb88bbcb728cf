// The projector display of a session (现场发表投屏) through the API, with two service instances on
// one database (as behind a load balancer): the timer's state machine (start / pause / resume /
// reset / advance), its refusals, display links (hashed, revocable), and the live stream on one
// instance following actions taken on the other within a second.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/app-config.js';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { ADMIN, expectErrorBody, TEST_DB, testDatabaseEnv, type TestApp } from '../support/test-app.js';

jest.setTimeout(240_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface State {
  serverNow: string; serverNowMs: number; sessionId: number; sessionName: string; contestName: string; slotMinutes: number; drawn: boolean; signedOff: boolean;
  current: { entryId: number; position: number; title: string; teamName: string; enterpriseName: string | null } | null;
  next: { entryId: number; position: number }[];
  total: number; done: number;
  timer: { durationMs: number; remainingMs: number; running: boolean; warnBelowMs: number; version: number; updatedAt: string | null };
  progress: { submitted: number; expected: number } | null;
}

async function startInstance(env: Record<string, string>): Promise<TestApp & { base: string }> {
  const config = loadConfig({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...env });
  const app: NestFastifyApplication = await createApp(config);
  await app.init();
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  return {
    app, config, dataSource: app.get(DataSource), http: () => request(server), close: () => app.close(),
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
  };
}

interface Stream { events: { at: number; data: State }[]; ended: boolean; next(n: number, timeoutMs?: number): Promise<void>; closed(timeoutMs?: number): Promise<void>; close(): void }

/** A server-sent-events reader keeping when each `data:` arrived; rejects with the status when the stream is refused. */
function openStream(url: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(Object.assign(new Error(`stream: ${res.statusCode}`), { status: res.statusCode }));
      }
      res.setEncoding('utf8');
      let buffer = '';
      const waiters: (() => void)[] = [];
      const s: Stream = {
        events: [], ended: false,
        next: (n, timeoutMs = 10_000) => wait(() => s.events.length >= n, timeoutMs, () => `only ${s.events.length} of ${n} events`),
        closed: (timeoutMs = 5_000) => wait(() => s.ended, timeoutMs, () => 'the stream is still open'),
        close: () => req.destroy(),
      };
      const wait = (done: () => boolean, timeoutMs: number, why: () => string) => new Promise<void>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`${why()} after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (!done()) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          ok();
        };
        waiters.push(check);
        check();
      });
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer.slice(0, cut).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          buffer = buffer.slice(cut + 2);
          if (data) s.events.push({ at: performance.now(), data: JSON.parse(data) as State });
        }
        for (const w of [...waiters]) w();
      });
      res.on('end', () => { s.ended = true; for (const w of [...waiters]) w(); });
      res.on('error', () => undefined);
      resolve(s);
    });
    req.on('error', reject);
  });
}

describe(`the projector display of a session, on two instances (${TEST_DB})`, () => {
  let a: TestApp & { base: string };
  let b: TestApp & { base: string };
  let drop: () => Promise<void>;
  let s: ScoringScenario;
  /** The entries that present, in order (the absent one skipped). */
  let queue: number[];
  let absent: number;
  let positions: Map<number, number>;

  const act = (via: TestApp, action: string, body: Record<string, unknown> = {}, token = s.organizer) =>
    via.http().post(`/api/sessions/${s.session.id}/display/${action}`).set(auth(token)).send(body);
  const read = async (via: TestApp): Promise<State> => (await via.http().get(`/api/sessions/${s.session.id}/display`).set(auth(s.organizer)).expect(200)).body as State;

  beforeAll(async () => {
    const db = await testDatabaseEnv();
    drop = db.drop;
    const env = { ...db.env, LOG_LEVEL: 'silent', ...(TEST_DB === 'sqlite' ? { SQLITE_FILE: join(db.env.DATA_DIR!, 'shared.sqlite') } : {}) };
    a = await startInstance(env);
    b = await startInstance({ ...env, MIGRATIONS_RUN: 'false' });
    s = await buildScoringScenario(a, { entries: 4, experts: 2, absent: 1, conflicts: 0 });
    absent = s.absentEntryIds[0]!;
    const slots = (await a.http().get(`/api/sessions/${s.session.id}`).set(auth(s.organizer)).expect(200)).body.slots as { entryId: number; position: number; attendance: string }[];
    positions = new Map(slots.map((x) => [x.entryId, x.position]));
    queue = slots.filter((x) => x.attendance !== 'absent').sort((x, y) => x.position - y.position).map((x) => x.entryId);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await drop?.();
  });

  it('shows the order before the start: nobody presenting, the first two next, the full time paused; nothing but the wall', async () => {
    const st = await read(a);
    expect(st).toMatchObject({ sessionId: s.session.id, drawn: true, signedOff: false, current: null, total: 3, done: 0, progress: null });
    expect(st.next.map((x) => x.entryId)).toEqual(queue.slice(0, 2));
    expect(st.timer).toMatchObject({ durationMs: st.slotMinutes * 60_000, remainingMs: st.slotMinutes * 60_000, running: false, warnBelowMs: 120_000, version: 0 });
    expect(Math.abs(st.serverNowMs - Date.now())).toBeLessThan(5_000);
    expect(Date.parse(st.serverNow)).toBe(st.serverNowMs);
    // No marks, scores, ranks, experts or accounts anywhere in what a wall receives.
    expect(JSON.stringify(st)).not.toMatch(/score|mark|rank|expert|username|password/i);
  });

  it('is for organizers: experts, enterprises, units and the admin are refused, no token 401, an unknown session 404', async () => {
    for (const token of [s.experts[0]!.token, s.enterprises[0]!.token, s.units[0]!.token, s.admin]) {
      expectErrorBody((await act(a, 'start', {}, token).expect(403)).body, 403, 'forbidden');
      expectErrorBody((await a.http().get(`/api/sessions/${s.session.id}/display`).set(auth(token)).expect(403)).body, 403, 'forbidden');
      expectErrorBody((await a.http().post(`/api/sessions/${s.session.id}/display-links`).set(auth(token)).send({ label: '投影' }).expect(403)).body, 403, 'forbidden');
    }
    expectErrorBody((await a.http().post(`/api/sessions/${s.session.id}/display/start`).send({}).expect(401)).body, 401, 'unauthenticated');
    expectErrorBody((await a.http().post('/api/sessions/999999/display/start').set(auth(s.organizer)).send({}).expect(404)).body, 404, 'not_found');
    expect((await read(b)).timer.version).toBe(0);
  });

  it('start: the first entry comes up and its time runs down by the server clock, the same on both instances', async () => {
    const started = (await act(a, 'start').expect(200)).body as State;
    expect(started.current?.entryId).toBe(queue[0]);
    // Its place in the drawn order (the absent entry keeps its place, so this may be 2).
    expect(started.current).toMatchObject({ position: positions.get(queue[0]!) });
    expect(started.current!.title).toContain('提高产品一次交检合格率');
    expect(started.next.map((x) => x.entryId)).toEqual(queue.slice(1, 3));
    expect(started).toMatchObject({ done: 1, total: 3, progress: { submitted: 0, expected: 2 } });
    expect(started.timer).toMatchObject({ running: true, version: 1 });
    await sleep(400);
    const onB = await read(b);
    expect(onB.current?.entryId).toBe(queue[0]);
    expect(onB.timer.running).toBe(true);
    // The remaining time is what the server's clock says: the difference of the two reads, within a few ms of jitter.
    const ran = onB.serverNowMs - started.serverNowMs;
    expect(ran).toBeGreaterThanOrEqual(350);
    expect(Math.abs(started.timer.remainingMs - onB.timer.remainingMs - ran)).toBeLessThan(5);
    expectErrorBody((await act(b, 'start').expect(409)).body, 409, 'timer_running');
  });

  it('pause keeps the remaining time on both instances; start resumes from there; reset gives the full time back', async () => {
    const paused = (await act(b, 'pause').expect(200)).body as State;
    expect(paused.timer.running).toBe(false);
    expect(paused.timer.remainingMs).toBeLessThan(paused.timer.durationMs);
    await sleep(300);
    expect((await read(a)).timer.remainingMs).toBe(paused.timer.remainingMs);
    expectErrorBody((await act(a, 'pause').expect(409)).body, 409, 'timer_not_running');
    const resumed = (await act(a, 'start').expect(200)).body as State;
    expect(resumed.current?.entryId).toBe(queue[0]);
    expect(resumed.timer.running).toBe(true);
    expect(resumed.timer.remainingMs).toBeLessThanOrEqual(paused.timer.remainingMs);
    // It runs on from exactly the paused time (stored), and the answer says so as at its own serverNow.
    const [row] = await a.dataSource.query('SELECT remaining_ms, running FROM session_timers WHERE session_id = ?', [s.session.id]) as { remaining_ms: number }[];
    expect(Number(row!.remaining_ms)).toBe(paused.timer.remainingMs);
    expect(paused.timer.remainingMs - resumed.timer.remainingMs).toBeLessThan(1000);
    const reset = (await act(b, 'reset').expect(200)).body as State;
    expect(reset.timer).toMatchObject({ running: false, remainingMs: reset.timer.durationMs });
    expect(reset.current?.entryId).toBe(queue[0]);
  });

  it('advance: the next entry present (the absent one skipped), full time, paused; then no further; a jump to a named entry', async () => {
    await act(a, 'start').expect(200);
    const second = (await act(b, 'advance').expect(200)).body as State;
    expect(second.current?.entryId).toBe(queue[1]);
    expect(second.next.map((x) => x.entryId)).toEqual([queue[2]]);
    expect(second.timer).toMatchObject({ running: false, remainingMs: second.timer.durationMs });
    const third = (await act(a, 'advance', {}).expect(200)).body as State;
    expect(third).toMatchObject({ current: { entryId: queue[2] }, next: [], done: 3 });
    expect(JSON.stringify(third.next)).not.toContain(String(absent));
    expectErrorBody((await act(a, 'advance').expect(409)).body, 409, 'no_next_entry');
    expectErrorBody((await act(a, 'advance', { entryId: absent }).expect(409)).body, 409, 'entry_absent');
    const bad = await act(a, 'advance', { entryId: 999999 }).expect(400);
    expectErrorBody(bad.body, 400, 'validation_failed');
    expect(bad.body.errors[0]).toMatchObject({ field: 'entryId', code: 'entry_not_in_session' });
    for (const body of [{ entryId: 'x' }, { entryId: 0 }, { entryId: null }, { skip: true }]) expectErrorBody((await act(a, 'advance', body).expect(400)).body, 400, 'validation_failed');
    const back = (await act(b, 'advance', { entryId: queue[0] }).expect(200)).body as State;
    expect(back).toMatchObject({ current: { entryId: queue[0] }, done: 1 });
    expect(back.next.map((x) => x.entryId)).toEqual(queue.slice(1, 3));
  });

  it('audits every action with who, before and after', async () => {
    const rows = async (action: string) => (await a.http().get(`/api/audit?action=presentation.display.${action}&targetId=${s.session.id}`).set(auth(s.organizer)).expect(200)).body.items as { before: unknown; after: Record<string, unknown>; actorId: number }[];
    expect(await rows('start')).toHaveLength(3);
    expect(await rows('pause')).toHaveLength(1);
    expect(await rows('reset')).toHaveLength(1);
    const adv = await rows('advance');
    expect(adv).toHaveLength(3);
    expect(adv.map((r) => r.after.currentEntryId).sort()).toEqual([queue[0], queue[1], queue[2]].sort());
  });

  it('display links: the token once, only its hash kept; the wall without login; unknown 404, revoked 410 and its stream ends', async () => {
    const created = (await a.http().post(`/api/sessions/${s.session.id}/display-links`).set(auth(s.organizer)).send({ label: ' 主会场投影 📽 ' }).expect(201)).body;
    expect(created).toMatchObject({ sessionId: s.session.id, label: '主会场投影 📽', revokedAt: null });
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.path).toBe(`#/display/${created.token}`);
    const stored = await a.dataSource.query('SELECT token_hash FROM display_links WHERE id = ?', [created.id]) as { token_hash: string }[];
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]!.token_hash).not.toContain(created.token);
    const listed = (await b.http().get(`/api/sessions/${s.session.id}/display-links`).set(auth(s.organizer)).expect(200)).body;
    expect(listed).toEqual([{ id: created.id, sessionId: s.session.id, label: '主会场投影 📽', createdAt: created.createdAt, createdBy: expect.any(Number), revokedAt: null, revokedBy: null }]);
    for (const body of [{}, { label: '' }, { label: 'x'.repeat(51) }, { label: '投影', token: 'mine' }]) {
      expectErrorBody((await a.http().post(`/api/sessions/${s.session.id}/display-links`).set(auth(s.organizer)).send(body).expect(400)).body, 400, 'validation_failed');
    }

    const wall = (await b.http().get('/api/display/state').set('x-display-token', created.token).expect(200)).body as State;
    expect(wall).toMatchObject({ sessionId: s.session.id, current: { entryId: queue[0] } });
    expectErrorBody((await b.http().get('/api/display/state').expect(404)).body, 404, 'display_link_not_found');
    expectErrorBody((await b.http().get('/api/display/state').set('x-display-token', 'A'.repeat(43)).expect(404)).body, 404, 'display_link_not_found');

    const stream = await openStream(`${a.base}/display/stream?access_token=${created.token}`);
    await stream.next(1);
    expect(stream.events[0]!.data.sessionId).toBe(s.session.id);
    // Revoked on B: the stream on A ends within a poll or two, the page and a new stream answer 410.
    const revoked = (await b.http().post(`/api/sessions/${s.session.id}/display-links/${created.id}/revoke`).set(auth(s.organizer)).send({}).expect(200)).body;
    expect(revoked).toMatchObject({ id: created.id, revokedAt: expect.any(String), revokedBy: expect.any(Number) });
    await stream.closed();
    expectErrorBody((await a.http().get('/api/display/state').set('x-display-token', created.token).expect(410)).body, 410, 'display_link_revoked');
    await expect(openStream(`${b.base}/display/stream?access_token=${created.token}`)).rejects.toMatchObject({ status: 410 });
    await expect(openStream(`${b.base}/display/stream?access_token=nope`)).rejects.toMatchObject({ status: 400 });
    expectErrorBody((await a.http().post(`/api/sessions/${s.session.id}/display-links/${created.id}/revoke`).set(auth(s.organizer)).send({}).expect(409)).body, 409, 'display_link_revoked');
    expectErrorBody((await a.http().post(`/api/sessions/${s.session.id}/display-links/${created.id}/revoke`).set(auth(s.experts[0]!.token)).send({}).expect(403)).body, 403, 'forbidden');
    const audit = (await a.http().get(`/api/audit?action=presentation.display_link.revoke&targetId=${s.session.id}`).set(auth(s.organizer)).expect(200)).body.items;
    expect(audit).toHaveLength(1);
  });

  it('the organizer stream refuses other roles and bad tokens', async () => {
    const url = (token: string) => `${a.base}/sessions/${s.session.id}/display/stream?access_token=${encodeURIComponent(token)}`;
    await expect(openStream(url(s.experts[0]!.token))).rejects.toMatchObject({ status: 403 });
    await expect(openStream(url('not-a-jwt'))).rejects.toMatchObject({ status: 401 });
    await expect(openStream(`${a.base}/sessions/${s.session.id}/display/stream`)).rejects.toMatchObject({ status: 401 });
  });

  it('every display follows an action taken on the other instance within a second (p95 of 12 under 1000 ms)', async () => {
    const link = (await a.http().post(`/api/sessions/${s.session.id}/display-links`).set(auth(s.organizer)).send({ label: '侧屏' }).expect(201)).body;
    const onA = await openStream(`${a.base}/display/stream?access_token=${link.token}`);
    const organizerOnB = await openStream(`${b.base}/sessions/${s.session.id}/display/stream?access_token=${encodeURIComponent(s.organizer)}`);
    try {
      await onA.next(1);
      await organizerOnB.next(1);
      /** Per action taken: when, on which instance, the state it answered. */
      const taken: { sent: number; on: 'a' | 'b'; state: State }[] = [];
      const plan = ['start', 'pause', 'start', 'advance', 'start', 'reset', 'start', 'pause', 'advance', 'start', 'pause', 'reset'];
      for (const [i, action] of plan.entries()) {
        await sleep(100 + Math.random() * 400);
        const seen = onA.events.length;
        const sent = performance.now();
        const on = i % 2 ? 'a' : 'b';
        const res = (await act(on === 'a' ? a : b, action).expect(200)).body as State;
        taken.push({ sent, on, state: res });
        // The display on A was waited for after each action, so it shows each one, in order.
        await onA.next(seen + 1, 5_000);
        const ev = onA.events[seen]!;
        expect(ev.data.timer.version).toBe(res.timer.version);
        expect(ev.data.current?.entryId).toBe(res.current?.entryId);
        expect(ev.data.timer.running).toBe(res.timer.running);
      }
      // The organizer's display on B was not waited for: two actions within one of its polls reach it
      // as one event (a wall shows the latest state), so it is held to what it shows, not to a count.
      const last = taken.at(-1)!.state.timer.version;
      await new Promise<void>((ok, fail) => {
        const t0 = performance.now();
        const tick = () => organizerOnB.events.at(-1)!.data.timer.version >= last ? ok()
          : performance.now() - t0 > 5_000 ? fail(new Error(`the display on B stopped at version ${organizerOnB.events.at(-1)!.data.timer.version} of ${last}`)) : setTimeout(tick, 20);
        tick();
      });
      const versions = organizerOnB.events.slice(1).map((e) => e.data.timer.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      // Each action taken on the other instance: when the display there first showed it (or a later state).
      const delays: number[] = [];
      for (const [on, stream] of [['b', onA], ['a', organizerOnB]] as const) {
        for (const t of taken.filter((x) => x.on === on)) {
          const ev = stream.events.find((e) => e.data.timer.version >= t.state.timer.version)!;
          if (ev.data.timer.version === t.state.timer.version) {
            expect(ev.data.current?.entryId).toBe(t.state.current?.entryId);
            expect(ev.data.timer.running).toBe(t.state.timer.running);
          }
          delays.push(ev.at - t.sent);
        }
      }
      expect(delays).toHaveLength(plan.length);
      const sorted = [...delays].sort((x, y) => x - y);
      const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
      console.log(`display stream, action on the other instance → event (${TEST_DB}), ms: median ${Math.round(sorted[sorted.length >> 1]!)}, p95 ${Math.round(p95)}, max ${Math.round(sorted.at(-1)!)}`);
      expect(p95).toBeLessThan(1000);
    } finally {
      onA.close();
      organizerOnB.close();
    }
  });

  it('describes every display route with its response DTO in the OpenAPI document', async () => {
    const doc = (await a.http().get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string; items?: { $ref: string } } }> }> }>>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const ref = (path: string, method: string, status: string) => {
      const c = doc.paths[path]?.[method]?.responses[status]?.content;
      const schema = c?.['application/json']?.schema ?? Object.values(c ?? {})[0]?.schema;
      return schema?.$ref ?? schema?.items?.$ref;
    };
    for (const action of ['start', 'pause', 'reset', 'advance']) expect(ref(`/api/sessions/{id}/display/${action}`, 'post', '200')).toBe('#/components/schemas/DisplayState');
    expect(ref('/api/sessions/{id}/display', 'get', '200')).toBe('#/components/schemas/DisplayState');
    expect(ref('/api/display/state', 'get', '200')).toBe('#/components/schemas/DisplayState');
    expect(ref('/api/sessions/{id}/display-links', 'post', '201')).toBe('#/components/schemas/DisplayLinkCreated');
    expect(ref('/api/sessions/{id}/display-links', 'get', '200')).toBe('#/components/schemas/DisplayLinkResponse');
    expect(ref('/api/sessions/{id}/display-links/{linkId}/revoke', 'post', '200')).toBe('#/components/schemas/DisplayLinkResponse');
    expect(Object.keys(doc.components.schemas.DisplayState!.properties)).toEqual(expect.arrayContaining(['serverNow', 'serverNowMs', 'current', 'next', 'timer']));
  });
});
