import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import { createTrack } from '../factories/contests.js';
import { createExpert } from '../factories/organisations.js';
import { createPanel, placeTracks, reviewWorld, type ReviewWorld } from '../factories/presentation.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(300_000);

type Body = Record<string, unknown>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const fieldCodes = (body: Body) => Object.fromEntries(((body.errors ?? []) as { field: string; code: string }[]).map((e) => [e.field, e.code]));

const INDUSTRIES = ['制造', '服务', '医疗卫生', '能源化工'];
const TOPICS: Record<string, string[]> = { 制造: ['工艺', '设备'], 服务: ['服务', '统计技术'], 医疗卫生: ['医疗', '安全'], 能源化工: ['安全', '工艺'] };

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe(`assignment by expertise: profiles, entry topics, optimal assignment with reasons (${TEST_DB})`, () => {
  let t: TestApp;
  let w: ReviewWorld;
  let experts: Awaited<ReturnType<typeof createExpert>>[];
  let panelId: number;
  const industryOfEntry = (i: number) => INDUSTRIES[i % 4]!;

  beforeAll(async () => {
    t = await createTestApp();
    // 40 entries, 10 per industry, in one track; 12 experts, 3 specialists per industry.
    w = await reviewWorld(t, Array.from({ length: 40 }, (_, i) => ({ industry: industryOfEntry(i), unit: i % 2 })));
    const track = await createTrack(t, w.organizer, w.contest.id, { name: '综合组' });
    await placeTracks(t, w.organizer, w.contest.id);
    experts = [];
    for (let i = 0; i < 12; i++) experts.push(await createExpert(t, w.organizer, { name: `专家${INDUSTRIES[i % 4]}${i}` }));
    panelId = (await createPanel(t, w.organizer, w.contest.id, { trackId: track.id, leaderExpertId: experts[0]!.id, memberExpertIds: experts.map((x) => x.id) })).id;
  });
  afterAll(() => t.close());

  it('keeps the organizer\'s list of methods and specialties; others may only read it', async () => {
    for (const name of ['工艺', '设备', '服务', '统计技术', '医疗', '安全']) {
      const res = await t.http().post('/api/expertise/topics').set(auth(w.organizer)).send({ name }).expect(201);
      expect(res.body).toMatchObject({ name });
    }
    expectErrorBody((await t.http().post('/api/expertise/topics').set(auth(w.organizer)).send({ name: ' 工艺 ' }).expect(409)).body, 409, 'topic_name_taken');
    expectErrorBody((await t.http().post('/api/expertise/topics').set(auth(experts[0]!.account.token)).send({ name: '新类别' }).expect(403)).body, 403, 'forbidden');
    expectErrorBody((await t.http().post('/api/expertise/topics').set(auth(w.organizer)).send({ name: '新', extra: 1 }).expect(400)).body, 400, 'validation_failed');
    const temp = (await t.http().post('/api/expertise/topics').set(auth(w.organizer)).send({ name: '临时类别🙂' }).expect(201)).body;
    const vocab = (await t.http().get('/api/expertise/vocabulary').set(auth(w.enterprises[0]!.token)).expect(200)).body;
    expect(vocab.topics.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['工艺', '临时类别🙂']));
    expect(vocab.industries).toEqual(expect.arrayContaining(INDUSTRIES));
    expect(vocab.entryTypes).toEqual(['problem_solving', 'innovation']);
    await t.http().delete(`/api/expertise/topics/${temp.id}`).set(auth(w.organizer)).expect(204);
  });

  it('applies an organizer\'s profile change, makes the expert\'s own a proposal the organizer approves or rejects', async () => {
    const [a, b] = [experts[0]!, experts[1]!];
    const profile = { industries: ['制造'], entryTypes: ['problem_solving'], topics: ['工艺', '设备'], yearsOfExperience: 12, keywords: ['焊接'] };
    const put = await t.http().put(`/api/experts/${a.id}/profile`).set(auth(w.organizer)).send(profile).expect(200);
    expect(put.body).toMatchObject({ expertId: a.id, ...profile, pending: null });
    // The expert's own change waits.
    const own = { industries: ['服务'], entryTypes: ['problem_solving'], topics: ['服务', '统计技术'], yearsOfExperience: 8 };
    const proposed = await t.http().put(`/api/experts/${b.id}/profile`).set(auth(b.account.token)).send(own).expect(200);
    expect(proposed.body).toMatchObject({ industries: [], topics: [], pending: { ...own, keywords: [] } });
    expect((await t.http().get('/api/expertise/pending-profiles').set(auth(w.organizer)).expect(200)).body.items.map((p: Body) => p.expertId)).toEqual([b.id]);
    // Another expert's profile: hidden; an enterprise: refused.
    expectErrorBody((await t.http().put(`/api/experts/${a.id}/profile`).set(auth(b.account.token)).send(own).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().get(`/api/experts/${a.id}/profile`).set(auth(b.account.token)).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().get(`/api/experts/${a.id}/profile`).set(auth(w.enterprises[0]!.token)).expect(403)).body, 403, 'forbidden');
    expectErrorBody((await t.http().post(`/api/experts/${b.id}/profile/approve`).set(auth(b.account.token)).expect(403)).body, 403, 'forbidden');
    // Bad input.
    let res = await t.http().put(`/api/experts/${b.id}/profile`).set(auth(b.account.token)).send({ ...own, topics: ['炼金术'] }).expect(400);
    expect(fieldCodes(res.body)).toEqual({ 'topics.0': 'unknown_topic' });
    res = await t.http().put(`/api/experts/${b.id}/profile`).set(auth(b.account.token)).send({ ...own, entryTypes: ['magic'], yearsOfExperience: -1 }).expect(400);
    expect(Object.keys(fieldCodes(res.body)).sort()).toEqual(['entryTypes', 'yearsOfExperience']);
    // Approve: the proposal becomes the profile; a second approval has nothing to approve.
    const approved = await t.http().post(`/api/experts/${b.id}/profile/approve`).set(auth(w.organizer)).expect(200);
    expect(approved.body).toMatchObject({ ...own, pending: null, pendingSince: null });
    expectErrorBody((await t.http().post(`/api/experts/${b.id}/profile/approve`).set(auth(w.organizer)).expect(409)).body, 409, 'no_pending_profile');
    // Reject: the proposal goes, the profile stays.
    await t.http().put(`/api/experts/${b.id}/profile`).set(auth(b.account.token)).send({ ...own, industries: ['医疗卫生'] }).expect(200);
    const rejected = await t.http().post(`/api/experts/${b.id}/profile/reject`).set(auth(w.organizer)).expect(200);
    expect(rejected.body).toMatchObject({ industries: ['服务'], pending: null });
    expect((await t.http().get(`/api/experts/${b.id}/profile`).set(auth(b.account.token)).expect(200)).body).toMatchObject({ industries: ['服务'] });
    // A used topic cannot be deleted.
    const vocab = (await t.http().get('/api/expertise/vocabulary').set(auth(w.organizer)).expect(200)).body;
    const used = vocab.topics.find((x: { name: string }) => x.name === '工艺');
    expectErrorBody((await t.http().delete(`/api/expertise/topics/${used.id}`).set(auth(w.organizer)).expect(409)).body, 409, 'topic_in_use');
  });

  it('lets an enterprise choose the topics of its own entries only', async () => {
    const mine = w.entries[0]!;
    const res = await t.http().put(`/api/entries/${mine.id}/topics`).set(auth(w.enterprises[0]!.token)).send({ topics: ['工艺'] }).expect(200);
    expect(res.body).toEqual({ entryId: mine.id, title: mine.title, industry: '制造', entryType: 'problem_solving', topics: ['工艺'] });
    expectErrorBody((await t.http().put(`/api/entries/${mine.id}/topics`).set(auth(w.enterprises[1]!.token)).send({ topics: ['工艺'] }).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().get(`/api/entries/${mine.id}/topics`).set(auth(experts[0]!.account.token)).expect(403)).body, 403, 'forbidden');
    expect(fieldCodes((await t.http().put(`/api/entries/${mine.id}/topics`).set(auth(w.enterprises[0]!.token)).send({ topics: ['工艺', '不存在'] }).expect(400)).body)).toEqual({ 'topics.1': 'unknown_topic' });
    expect((await t.http().get(`/api/entries/${mine.id}/topics`).set(auth(w.organizer)).expect(200)).body.topics).toEqual(['工艺']);
  });

  it('imports experts with their profile columns, refusing unknown topics by row and column', async () => {
    const header = ['姓名', '工作单位类型', '工作单位名称', '熟悉行业', '擅长课题类型', '方法与专业', '从业年限', '关键词'];
    const ok = await xlsx([header, ['导入专家甲', '其他', '某研究院', '制造、服务', '问题解决型', '工艺、统计技术', 15, '焊接']]);
    const res = await t.http().post('/api/imports/experts').set(auth(w.organizer)).attach('file', ok, '专家.xlsx').expect(200);
    const id = res.body.ids[0] as number;
    expect((await t.http().get(`/api/experts/${id}/profile`).set(auth(w.organizer)).expect(200)).body).toMatchObject({
      industries: ['制造', '服务'], entryTypes: ['problem_solving'], topics: ['工艺', '统计技术'], yearsOfExperience: 15, keywords: ['焊接'], pending: null,
    });
    const bad = await xlsx([header, ['导入专家乙', '其他', '某研究院', '制造', '问题解决型', '炼金术', '很多', '']]);
    const refused = await t.http().post('/api/imports/experts').set(auth(w.organizer)).attach('file', bad, '专家.xlsx').expect(422);
    expect(fieldCodes(refused.body)).toMatchObject({ 'rows[2].topics': 'unknown_topic', 'rows[2].yearsOfExperience': expect.any(String) });
  });

  it('assigns each of 40 entries its 3 matching specialists among 12 experts, and explains every pair', async () => {
    for (let i = 0; i < 12; i++) {
      const industry = INDUSTRIES[i % 4]!;
      await t.http().put(`/api/experts/${experts[i]!.id}/profile`).set(auth(w.organizer)).send({ industries: [industry], entryTypes: ['problem_solving'], topics: TOPICS[industry], yearsOfExperience: 5 + i }).expect(200);
    }
    for (const [i, e] of w.entries.entries()) {
      await t.http().put(`/api/entries/${e.id}/topics`).set(auth(w.enterprises[i]!.token)).send({ topics: [TOPICS[industryOfEntry(i)]![0]!] }).expect(200);
    }
    const res = await t.http().post(`/api/panels/${panelId}/assignments/expertise`).set(auth(w.organizer)).send({ minJudgesPerEntry: 3, maxLoadPerExpert: 10, seed: '2026' }).expect(200);
    expect(res.body).toMatchObject({ panelId, mode: 'expertise', fallback: false, minSpecialists: 3, balanced: true });
    expect(res.body.pairs).toHaveLength(120);
    const expertIndustry = new Map(experts.map((x, i) => [x.id, INDUSTRIES[i % 4]]));
    const entryIndustry = new Map(w.entries.map((e, i) => [e.id, industryOfEntry(i)]));
    for (const p of res.body.pairs as { expertId: number; entryId: number; affinity: number; matches: { dimension: string; value: string; points: number }[] }[]) {
      expect(expertIndustry.get(p.expertId)).toBe(entryIndustry.get(p.entryId));
      expect(p.matches).toEqual(expect.arrayContaining([{ dimension: 'industry', value: entryIndustry.get(p.entryId), points: 3 }, expect.objectContaining({ dimension: 'topic' })]));
      expect(p.affinity).toBe(p.matches.reduce((s, m) => s + m.points, 0));
    }
    // The heat map, the reasons of the stored assignments and their coverage.
    const map = (await t.http().get(`/api/panels/${panelId}/affinity`).set(auth(w.organizer)).expect(200)).body;
    expect(map.experts).toHaveLength(12);
    expect(map.entries).toHaveLength(40);
    expect(map.scores).toHaveLength(40);
    expect(map.scores[0]).toHaveLength(12);
    expect(map.assignments).toHaveLength(120);
    expect(map.totalAffinity).toBe(res.body.totalAffinity);
    expect(map.coverage).toEqual({ entriesWithoutSpecialist: [], expertsBelowPanel: [] });
    expectErrorBody((await t.http().get(`/api/panels/${panelId}/affinity`).set(auth(experts[0]!.account.token)).expect(403)).body, 403, 'forbidden');
  });

  it('refuses with the exact unmet constraint, changing nothing', async () => {
    const before = (await t.http().get(`/api/panels/${panelId}/affinity`).set(auth(w.organizer)).expect(200)).body.assignments;
    let res = await t.http().post(`/api/panels/${panelId}/assignments/expertise`).set(auth(w.organizer)).send({ minJudgesPerEntry: 13, maxLoadPerExpert: 40, seed: 's' }).expect(409);
    expectErrorBody(res.body, 409, 'assignment_infeasible');
    expect(res.body.details.unmet).toMatchObject({ constraint: 'min_judges_per_entry', required: 13, eligible: 12 });
    res = await t.http().post(`/api/panels/${panelId}/assignments/expertise`).set(auth(w.organizer)).send({ minJudgesPerEntry: 3, maxLoadPerExpert: 9, seed: 's' }).expect(409);
    expect(res.body.details.unmet).toMatchObject({ constraint: 'max_load_per_expert', maxLoadPerExpert: 9, required: 3 });
    expect(res.body.message).toContain('每位专家最多评审 9 项');
    expectErrorBody((await t.http().post(`/api/panels/${panelId}/assignments/expertise`).set(auth(w.organizer)).send({ minJudgesPerEntry: 3, maxLoadPerExpert: 9 }).expect(400)).body, 400, 'validation_failed');
    expect((await t.http().get(`/api/panels/${panelId}/affinity`).set(auth(w.organizer)).expect(200)).body.assignments).toEqual(before);
  });

  it('falls back to the balanced assignment when nobody has a profile, and the coverage then lists every entry', async () => {
    // The same panel with the profiles emptied: no affinity information.
    for (const x of experts) await t.http().put(`/api/experts/${x.id}/profile`).set(auth(w.organizer)).send({ industries: [], entryTypes: [], topics: [] }).expect(200);
    const res = await t.http().post(`/api/panels/${panelId}/assignments/expertise`).set(auth(w.organizer)).send({ minJudgesPerEntry: 3, maxLoadPerExpert: 10, seed: '2026', fairness: true }).expect(200);
    expect(res.body).toMatchObject({ fallback: true, totalAffinity: 0, balanced: true, fairness: true });
    expect(res.body.pairs.every((p: { matches: unknown[] }) => p.matches.length === 0)).toBe(true);
    const map = (await t.http().get(`/api/panels/${panelId}/affinity`).set(auth(w.organizer)).expect(200)).body;
    expect(map.coverage.entriesWithoutSpecialist).toHaveLength(40);
  });
});
