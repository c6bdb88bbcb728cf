// The year's report on a small scored contest: who sees which statistics, the notice's 文号 (validated,
// audited), the documents made only from the published list (DOCX read back with mammoth, PDF with
// pdftotext, both kept in test-output/), the summary text and the statistics workbook. The demo's
// full 2020 year is checked in web-demo.e2e-spec.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { computeResults, freezeResults, publish, resultsContest, type ResultsScenario } from '../factories/results.js';
import { setPhase } from '../factories/contests.js';
import { docxText, expectEveryAwardAtItsLevel, keep, pdfText, type PublicList } from '../support/report-documents.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe(`the year's report (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let enterprise: string;
  const get = (path: string, token?: string) => {
    const req = t.http().get(path);
    return token ? req.set(auth(token)) : req;
  };
  const file = (path: string, token: string) => get(path, token).buffer(true).parse(binary);

  beforeAll(async () => {
    t = await createTestApp();
    s = await resultsContest(t, 'finalizing', { entries: 8, experts: 5, absent: 1, rules: { quotas: { mode: 'count', scope: 'overall', counts: { first: 1, second: 2, third: 2, excellence: 1 } } } });
    enterprise = s.enterprises[0]!.token;
  }, 120_000);
  afterAll(() => t?.close());

  it('gives an organizer every figure before publication, and nobody else anything', async () => {
    const base = `/api/contests/${s.contest.id}/statistics`;
    const before = (await get(base, s.organizer).expect(200)).body;
    expect(before).toMatchObject({ scope: 'full', contest: { id: s.contest.id }, participation: { entries: 8, units: 2 }, awards: { status: null, counts: { total: 0 } }, summarySentence: null, summaryParagraph: null });
    expect(before.entriesByUnit.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(8);
    expect(before.review).toMatchObject({ reviewed: 8, passedFirstTime: 8, rejected: 0, passRate: '100.0%' });
    expect(before.attendance).toEqual({ present: 7, absent: 1, pending: 0 });
    expect(before.expertWorkload).toHaveLength(5);
    expect(before.expertWorkload[0]).toMatchObject({ sheets: 14, submitted: 14, materialSheets: 7, presentationSheets: 7 });
    expect(before.scoreDistribution.map((d: { stage: string; sheets: number }) => [d.stage, d.sheets])).toEqual([['material', 35], ['presentation', 35]]);
    expect(before.benefits).toMatchObject({ declaringEntries: 8, totalYuan: 8 * 1_250_000, totalWanYuan: '1000.00' });
    expect(before.document).toMatchObject({ documentNumber: null, noticeReady: false });
    expect(before.yearOnYear.map((y: { contestId: number }) => y.contestId)).toContain(s.contest.id);

    expectErrorBody((await get(base).expect(404)).body, 404, 'not_found');
    expectErrorBody((await get(base, enterprise).expect(404)).body, 404, 'not_found');
    expectErrorBody((await get(base, s.units[0]!.token).expect(404)).body, 404, 'not_found');
    expectErrorBody((await get(base, 'not-a-token').expect(401)).body, 401, 'token_invalid');
    expectErrorBody((await get('/api/contests/999999/statistics', s.organizer).expect(404)).body, 404, 'not_found');
    expectErrorBody((await get('/api/contests/abc/statistics', s.organizer).expect(400)).body, 400, 'invalid_id');
  });

  it('validates and audits the notice\'s 文号, and refuses it to other roles', async () => {
    const put = (body: object, token = s.organizer) => t.http().put(`/api/contests/${s.contest.id}/report/document`).set(auth(token)).send(body);
    expectErrorBody((await put({ documentNumber: '   ' }).expect(400)).body, 400, 'validation_failed');
    expectErrorBody((await put({ documentNumber: 'x'.repeat(61) }).expect(400)).body, 400, 'validation_failed');
    expectErrorBody((await put({ documentNumber: '津滨质量组办〔2020〕5号', stamp: true }).expect(400)).body, 400, 'validation_failed');
    expectErrorBody((await put({ documentNumber: '津滨质量组办〔2020〕5号' }, enterprise).expect(403)).body, 403, 'forbidden');
    expectErrorBody((await put({ documentNumber: '津滨质量组办〔2020〕5号' }, s.units[0]!.token).expect(403)).body, 403, 'forbidden');
    expectErrorBody((await t.http().put('/api/contests/999999/report/document').set(auth(s.organizer)).send({ documentNumber: '1号' }).expect(404)).body, 404, 'not_found');

    await put({ documentNumber: '津滨质量组办〔2020〕4号' }).expect(200);
    const saved = (await put({ documentNumber: ' 津滨质量组办〔2020〕5号 ', issuer: '滨海新区质量工作领导小组办公室 🏅', addressee: '各有关委、办、局，各有关单位' }).expect(200)).body;
    expect(saved).toMatchObject({ documentNumber: '津滨质量组办〔2020〕5号', issuer: '滨海新区质量工作领导小组办公室 🏅', addressee: '各有关委、办、局，各有关单位', noticeReady: false });
    const trail = (await get(`/api/audit?targetType=contest&targetId=${s.contest.id}&action=report.document&pageSize=10`, s.organizer).expect(200)).body;
    const events = trail.items.filter((e: { action: string }) => e.action === 'report.document');
    expect(events).toHaveLength(2);
    expect(events.map((e: { after: { documentNumber: string } }) => e.after.documentNumber).sort()).toEqual(['津滨质量组办〔2020〕4号', '津滨质量组办〔2020〕5号']);
    expect(events.some((e: { before: { documentNumber: string } | null }) => e.before?.documentNumber === '津滨质量组办〔2020〕4号')).toBe(true);
  });

  it('makes no notice before publication, and never from live data', async () => {
    await computeResults(t, s);
    const computed = (await get(`/api/contests/${s.contest.id}/statistics`, s.organizer).expect(200)).body;
    expect(computed.awards).toMatchObject({ status: 'computed', counts: { first: 1, second: 2, third: 2, excellence: 1, total: 6 } });
    expect(computed.summarySentence).toMatch(/^经材料初审、现场发表、专家评审，评选出质量攻关优秀成果一等奖1项，二等奖2项，三等奖2项，优秀奖1项/);
    for (const path of ['notice.docx', 'notice.pdf']) {
      const res = await file(`/api/contests/${s.contest.id}/report/${path}`, s.organizer).expect(409);
      expect(JSON.parse((res.body as Buffer).toString('utf8'))).toMatchObject({ code: 'report_not_published' });
      expect((await file(`/api/contests/${s.contest.id}/report/${path}`, enterprise)).status).toBe(403);
    }
    await freezeResults(t, s);
    await setPhase(t, s.organizer, s.contest.id, 'notice');
    expect((await get(`/api/contests/${s.contest.id}/statistics`).expect(404)).body.code).toBe('not_found');
    await publish(t, s);
  });

  it('publishes the public subset and the documents from the published list', async () => {
    const list = (await get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body as PublicList & { levels: Record<string, unknown[]> };
    const pub = (await get(`/api/contests/${s.contest.id}/statistics`).expect(200)).body;
    expect(pub.scope).toBe('public');
    for (const hidden of ['review', 'attendance', 'expertWorkload', 'scoreDistribution', 'objections', 'benefits', 'summaryParagraph', 'document']) expect(pub).not.toHaveProperty(hidden);
    expect(pub.awards).toMatchObject({ status: 'published', counts: { first: 1, second: 2, third: 2, excellence: 1, total: 6 } });
    expect(pub.excellentUnits.map((u: { unitName: string }) => u.unitName)).toEqual(list.excellentUnits.map((u) => u.unitName));
    expect(pub.yearOnYear.every((y: { contestId: number }) => typeof y.contestId === 'number')).toBe(true);
    expect((await get(`/api/contests/${s.contest.id}/statistics`, enterprise).expect(200)).body.scope).toBe('public');

    const docx = await file(`/api/contests/${s.contest.id}/report/notice.docx`, s.organizer).expect(200);
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    keep(`report-notice-small-${TEST_DB}.docx`, docx.body as Buffer);
    const text = await docxText(docx.body as Buffer);
    expect(text).toContain('关于公布');
    expect(text).toContain('津滨质量组办〔2020〕5号');
    expect(text).toContain('各有关委、办、局，各有关单位：');
    expect(text).toContain('滨海新区质量工作领导小组办公室');
    expect(text).toContain(pub.summarySentence);
    expectEveryAwardAtItsLevel(text, list);

    const pdf = await file(`/api/contests/${s.contest.id}/report/notice.pdf`, s.organizer).expect(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfTextOut = pdfText(pdf.body as Buffer, `report-notice-small-${TEST_DB}.pdf`);
    expect(pdfTextOut.replace(/\s+/gu, '')).toContain(pub.summarySentence);
    expect(pdfTextOut).toContain('津滨质量组办〔2020〕5号');
    expectEveryAwardAtItsLevel(pdfTextOut, list);

    const summary = await file(`/api/contests/${s.contest.id}/report/summary.txt`, s.organizer).expect(200);
    const full = (await get(`/api/contests/${s.contest.id}/statistics`, s.organizer).expect(200)).body;
    expect((summary.body as Buffer).toString('utf8').trim()).toBe(full.summaryParagraph);
    expect(full.summaryParagraph).toContain(`${pub.summarySentence}。`);
    expect(full.document).toMatchObject({ noticeReady: true });

    const xlsx = await file(`/api/contests/${s.contest.id}/statistics.xlsx`, s.organizer).expect(200);
    keep(`report-statistics-small-${TEST_DB}.xlsx`, xlsx.body as Buffer);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(['概况', '按推荐单位', '按行业', '按成果类型', '按分组', '获奖×推荐单位', '获奖×行业', '获奖×成果类型', '优秀推荐单位', '材料初审', '初审不合格项', '现场发表出勤', '专家工作量', '评分分布', '异议', '经济效益', '历年对比']));
    expect(wb.getWorksheet('概况')!.getCell('B7').value).toBe(8);
    expect((await file(`/api/contests/${s.contest.id}/statistics.xlsx`, enterprise)).status).toBe(403);
    expect((await file(`/api/contests/${s.contest.id}/report/summary.txt`, s.units[0]!.token)).status).toBe(403);
  });
});
