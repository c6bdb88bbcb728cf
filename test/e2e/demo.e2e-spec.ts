import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_CLOCK } from '../../src/demo/run-demo.js';
import type { runDemoInThread as RunDemoInThread, startDemoThread as StartDemoThread } from '../../src/demo/demo-client-thread.js';
import type { demoPdfThread as DemoPdfThread } from '../../src/demo/demo-pdf.js';
import { Clock, settable } from '../../src/common/clock.js';
import { serviceSignIn } from '../../src/demo/demo-sessions.js';
import { ADMIN, createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

// The demo pipeline (reduced size) through the real HTTP API: every stage of the competition. Its client
// runs as `npm run demo` runs it: the BUILT module (dist/, `npm test` builds first), in its worker thread,
// started with its plan (the cast drawn, the reports asked of npm run demo's PDF thread on a port to it),
// moving the service's clock through shared memory and asking this thread for the tokens.
const built = join(process.cwd(), 'dist/src/demo/demo-client-thread.js');
describe(`demo pipeline, small (${TEST_DB})`, () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ CLOCK: DEMO_CLOCK });
    await t.app.listen(0, '127.0.0.1');
    const address = t.app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => t.close());

  it('runs the whole competition and publishes the quota counts', async () => {
    const lines: string[] = [];
    expect(existsSync(built)).toBe(true);
    expect(existsSync(join(process.cwd(), 'dist/src/demo/demo-client-worker.js'))).toBe(true);
    const { runDemoInThread, startDemoThread } = (await import(pathToFileURL(built).href)) as { runDemoInThread: typeof RunDemoInThread; startDemoThread: typeof StartDemoThread };
    const { demoPdfThread } = (await import(pathToFileURL(join(process.cwd(), 'dist/src/demo/demo-pdf.js')).href)) as { demoPdfThread: typeof DemoPdfThread };
    const pdfThread = demoPdfThread();
    const reports = pdfThread.connect();
    expect(reports).not.toBeNull();
    const client = startDemoThread({ size: 'small', seed: 2020, reports });
    const summary = await runDemoInThread(base, { size: 'small', seed: 2020, adminUsername: ADMIN.username, adminPassword: ADMIN.password, password: 'Binhai-Lighthouse-2020', log: (l) => lines.push(l), clock: settable(t.app.get(Clock)), signIn: serviceSignIn(t.app) }, client).finally(() => pdfThread.close());
    expect(summary.levelCounts).toEqual({ first: 2, second: 4, third: 6, excellence: 8 });
    expect(summary.excellentUnits).toHaveLength(2);
    expect(lines.length).toBeGreaterThan(8);

    const pub = await t.http().get(`/api/public/contests/${summary.contestId}/results`).expect(200);
    expect(pub.body.status).toBe('published');
    expect(Object.keys(pub.body.levels)).toEqual(['first', 'second', 'third', 'excellence']);
    expect(pub.body.levels.first).toHaveLength(2);
    // The same year every run (seed 2020): ids follow the cast and the marks are drawn sheet by sheet in entry order.
    expect(pub.body.levels.first.map((e: { title: string; enterpriseName: string }) => `${e.title} ${e.enterpriseName}`)).toEqual([
      '缩短抢修平均到达时间 天津北塘供电服务集团有限公司',
      '设计管道内壁检测机器人 天津开发区精密机械有限公司',
    ]);
    expect(pub.body.excellentUnits.map((u: { unitName: string }) => u.unitName)).toEqual(summary.excellentUnits);
    const list = await t.http().get('/api/public/contests').expect(200);
    expect(JSON.stringify(list.body)).toContain('2020年滨海新区质量攻关活动');
    // 2020 in 2020: seven days of notice ending 29 September 09:00 China time, published that morning.
    expect(pub.body.noticeEndsAt).toMatch(/^2020-09-29T01:00:0/);
    expect(pub.body.publishedAt).toMatch(/^2020-09-29T02:0/);

    // This year's competition is being judged: the demo expert has everything still to score, others are part-way.
    const login = async (role: string) => {
      const username = summary.accounts.find((a) => a.role === role)!.username;
      return (await t.http().post('/api/auth/login').send({ username, password: 'Binhai-Lighthouse-2020' }).expect(200)).body.accessToken as string;
    };
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const organizer = await login('organizer');
    const year2020 = (await t.http().get(`/api/contests/${summary.contestId}`).set(auth(organizer)).expect(200)).body;
    expect([year2020.submissionOpensAt, year2020.submissionClosesAt]).toEqual(['2020-06-08T00:00:00.000Z', '2020-08-31T09:00:00.000Z']);
    // The certificates are dated on the day of publication (the 2020 forum), not the day they are printed.
    const cert = await t.http().get(`/api/entries/${pub.body.levels.first[0].entryId}/certificate.pdf`).set(auth(organizer)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect((cert.body as Buffer).toString('latin1')).toMatch(/\(D:20200929/);
    // The audit trail of 2020 is dated in 2020, June to September, and the chains verify.
    const trail = (await t.http().get(`/api/audit?targetType=contest&targetId=${summary.contestId}&pageSize=100`).set(auth(organizer)).expect(200)).body;
    const times2020 = trail.items.map((e: { createdAt: string }) => e.createdAt);
    expect(times2020.length).toBeGreaterThan(3);
    for (const at of times2020) expect(at >= '2020-06-01' && at < '2020-10-01').toBe(true);
    const verified = (await t.http().post('/api/audit/verify').set(auth(organizer)).expect(200)).body;
    expect(verified).toMatchObject({ ok: true, firstBroken: null });
    const live = (await t.http().get(`/api/contests/${summary.liveContestId}`).set(auth(organizer)).expect(200)).body;
    expect(live.phase).toBe('presentation');
    // "Today" is the 2021 presentation day by the service's clock, and 2022's call is open at that moment.
    expect(t.app.get(Clock).now().toISOString().slice(0, 10)).toBe('2021-09-16');
    const progress = (await t.http().get(`/api/contests/${summary.liveContestId}/progress`).set(auth(organizer)).expect(200)).body;
    expect(progress.sessions).toHaveLength(2);
    expect(progress.totals.submitted).toBeGreaterThan(0);
    expect(progress.totals.missing).toBeGreaterThan(0);
    expect(progress.totals.drafted).toBeGreaterThan(0);
    // Each 2021 session has a display link for the hall's projector; the afternoon's wall shows a team presenting, its timer running.
    expect(summary.displays).toHaveLength(2);
    const walls = await Promise.all(summary.displays.map(async (d) => (await t.http().get('/api/display/state').set('x-display-token', d.path.replace('#/display/', '')).expect(200)).body));
    expect(walls.map((w) => w.sessionId)).toEqual(summary.displays.map((d) => d.sessionId));
    expect(walls[1]).toMatchObject({ current: { title: expect.any(String) }, timer: { running: true } });
    expect(walls[1].timer.remainingMs).toBeLessThanOrEqual(walls[1].timer.durationMs);
    expect(walls[1].next.length).toBeGreaterThan(0);
    const expert = await login('expert');
    const tasks = (await t.http().get('/api/experts/me/assignments').set(auth(expert)).expect(200)).body;
    const today = tasks.items.filter((a: { contestId: number }) => a.contestId === summary.liveContestId);
    expect(today.length).toBeGreaterThan(0);
    expect(today.every((a: { session: unknown; position: number | null }) => a.session && a.position)).toBe(true);
    const sheets = (await t.http().get('/api/experts/me/sheets?pageSize=200').set(auth(expert)).expect(200)).body;
    expect(sheets.items.filter((x: { contestId?: number; entryId: number }) => today.some((a: { entryId: number }) => a.entryId === x.entryId))).toHaveLength(0);

    // The same year each run: the cast's accounts, and its units, enterprises, experts and 2020 entries
    // created in the order of the cast (their ids decide tie-breaks), although created in parallel.
    const admin = (await t.http().post('/api/auth/login').send({ username: ADMIN.username, password: ADMIN.password }).expect(200)).body.accessToken as string;
    const users = (await t.http().get('/api/users?pageSize=200').set(auth(admin)).expect(200)).body.items as { username: string; role: string; unitId: number | null; enterpriseId: number | null; expertId: number | null }[];
    const byRole = (role: string) => users.filter((u) => u.role === role);
    expect([users.length, byRole('recommender').length, byRole('enterprise').length, byRole('expert').length]).toEqual([2 + 6 + 24 + 25, 6, 24, 25]);
    const inIdOrder = (role: string, id: (u: (typeof users)[number]) => number | null) => byRole(role).sort((a, b) => id(a)! - id(b)!).map((u) => u.username);
    expect(inIdOrder('recommender', (u) => u.unitId)).toEqual(Array.from({ length: 6 }, (_, i) => `unit${String(i + 1).padStart(2, '0')}`));
    expect(inIdOrder('enterprise', (u) => u.enterpriseId)).toEqual(Array.from({ length: 24 }, (_, i) => `ent${String(i + 1).padStart(3, '0')}`));
    expect(inIdOrder('expert', (u) => u.expertId)).toEqual(Array.from({ length: 25 }, (_, i) => `expert${String(i + 1).padStart(2, '0')}`));
    const filed = (await t.http().get(`/api/entries?contestId=${summary.contestId}&pageSize=200`).set(auth(organizer)).expect(200)).body.items as { id: number; enterpriseId: number }[];
    const enterpriseIds = byRole('enterprise').map((u) => u.enterpriseId!).sort((a, b) => a - b);
    expect([...filed].sort((a, b) => a.id - b.id).map((e) => e.enterpriseId)).toEqual(Array.from({ length: 30 }, (_, i) => enterpriseIds[i % 24]));

    // Next year's call is open: the demo enterprise has a draft; its unit has entries to recommend.
    const open = (await t.http().get(`/api/contests/${summary.openContestId}`).set(auth(organizer)).expect(200)).body;
    expect(open.phase).toBe('open');
    const mine = (await t.http().get(`/api/entries?contestId=${summary.openContestId}`).set(auth(await login('enterprise'))).expect(200)).body;
    expect(mine.items.map((e: { status: string }) => e.status)).toEqual(['draft']);
    const waiting = (await t.http().get(`/api/entries?contestId=${summary.openContestId}&status=submitted`).set(auth(await login('recommender'))).expect(200)).body;
    expect(waiting.total).toBeGreaterThan(0);
  }, 300_000);
});
