// 评分汇总表 (issue 13): the PDF a session's panel signs, from the same data as the results.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'superagent';
import { setPhase } from '../factories/contests.js';
import { buildResultsScenario, computeResults, descendingTotals, marksForTotal, scoreAll, type ResultsScenario } from '../factories/results.js';
import { mySheet, signOff } from '../factories/scoring.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(240_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** pdftotext -layout: table rows stay on one line each. */
function pdfLayoutText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'qc-summary-'));
  try {
    writeFileSync(join(dir, 's.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 's.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface StageView { score: string; marks: { expertId: number; expertName: string; points: string; status: string }[] }
interface RankingItem { entryId: number; participation: string; finalScore: string | null; stages: { material: StageView | null; presentation: StageView | null } }

describe(`评分汇总表 of a session (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let path: string;
  let positions: Map<number, number>;

  const get = async (token?: string) => {
    let req = t.http().get(path).buffer(true).parse(binary);
    if (token) req = req.set(auth(token));
    const res = await req;
    const body = res.body as Buffer;
    return { status: res.status, type: String(res.headers['content-type']), body, json: () => JSON.parse(body.toString('utf8')) as Record<string, unknown> };
  };

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildResultsScenario(t, { entries: 4, experts: 5, absent: 1, units: 1, perEnterprise: 4, title: (i) => (i === 0 ? '降低焊接缺陷率🔧“一次合格”' : `提高产品一次交检合格率 第${i + 1}项`) });
    await scoreAll(t, s, descendingTotals);
    path = `/api/sessions/${s.session.id}/score-summary.pdf`;
    const session = (await t.http().get(`/api/sessions/${s.session.id}`).set(auth(s.organizer)).expect(200)).body as { slots: { entryId: number; position: number }[] };
    positions = new Map(session.slots.map((x) => [x.entryId, x.position]));
  });
  afterAll(() => t.close());

  it('is refused before the leader signs off (409 session_not_signed_off), and to everyone but organizers', async () => {
    const before = await get(s.organizer);
    expect(before.status).toBe(409);
    expectErrorBody(before.json(), 409, 'session_not_signed_off');
    await signOff(t, s.experts[0]!.token, s.session.id);
    expectErrorBody((await get()).json(), 401, 'unauthenticated');
    // The panel leader, a member, the enterprise, its unit, the admin: scores are the organizers' before publication.
    for (const token of [s.experts[0]!.token, s.experts[1]!.token, s.enterprises[0]!.token, s.units[0]!.token, s.admin]) {
      const d = await get(token);
      expect(d.status).toBe(403);
      expectErrorBody(d.json(), 403, 'forbidden');
    }
    expectErrorBody((await t.http().get('/api/sessions/99999999/score-summary.pdf').set(auth(s.organizer)).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().get('/api/sessions/abc/score-summary.pdf').set(auth(s.organizer)).expect(400)).body, 400, 'invalid_id');
  });

  let firstText = '';
  it('after the sign-off: an A4-landscape PDF with every expert and entry, signature lines and the data hash', async () => {
    const d = await get(s.organizer);
    expect(d.status).toBe(200);
    expect(d.type).toBe('application/pdf');
    expect(d.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(d.body.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
    mkdirSync('test-output', { recursive: true });
    writeFileSync(`test-output/score-summary-${TEST_DB}.pdf`, d.body);
    firstText = pdfLayoutText(d.body);
    const flat = firstText.replace(/\s+/gu, '');
    for (const part of ['现场发表评分汇总表', '材料评审', '现场发表', '评审专家签字', '评审组组长签字', '日期：', '场次数据校验码', '第1页共', '缺席', '降低焊接缺陷率“一次合格”']) expect(flat).toContain(part);
    expect(flat).toMatch(/场次数据校验码（SHA-256）：[0-9a-f]{64}/);
  });

  it('a sheet reopened after the sign-off makes the paper unavailable until the leader signs again', async () => {
    const entry = s.entries[1]!;
    const sheets = (await t.http().get(`/api/entries/${entry.id}/sheets`).set(auth(s.organizer)).expect(200)).body as { items?: unknown[] } | unknown[];
    const list = (Array.isArray(sheets) ? sheets : (sheets.items ?? [])) as { id: number; stage: string; expertId: number }[];
    const sheet = list.find((x) => x.stage === 'presentation' && x.expertId === s.experts[2]!.id)!;
    await t.http().post(`/api/sheets/${sheet.id}/reopen`).set(auth(s.organizer)).send({ reason: '专家笔误，重新评分' }).expect(200);
    const gone = await get(s.organizer);
    expect(gone.status).toBe(409);
    expectErrorBody(gone.json(), 409, 'session_not_signed_off');
    // The expert corrects the mark (a new total) and the leader signs again: the new paper shows it.
    const rubric = (await mySheet(t, s.experts[2]!.token, entry.id, 'presentation')).rubric;
    await t.http().post(`/api/entries/${entry.id}/sheets/presentation/submit`).set(auth(s.experts[2]!.token)).send({ marks: marksForTotal(rubric, 777) }).expect(200);
    expect((await get(s.organizer)).status).toBe(409);
    await signOff(t, s.experts[0]!.token, s.session.id);
    const again = await get(s.organizer);
    expect(again.status).toBe(200);
    const text = pdfLayoutText(again.body);
    expect(text).toContain('77.7');
    expect(firstText).not.toContain('77.7');
    writeFileSync(`test-output/score-summary-${TEST_DB}.pdf`, again.body);
  });

  it("its numbers equal the results' computation: every expert's total per entry and stage, the stage and final scores", async () => {
    const pdf = (await get(s.organizer)).body;
    const text = pdfLayoutText(pdf);
    await setPhase(t, s.organizer, s.contest.id, 'finalizing');
    await computeResults(t, s);
    const res = (await t.http().get(`/api/contests/${s.contest.id}/results?pageSize=100`).set(auth(s.organizer)).expect(200)).body as { ranking: { items: RankingItem[] } };
    // The PDF after the phase change is the same paper (same data, same hash).
    expect(pdfLayoutText((await get(s.organizer)).body)).toBe(text);

    const [material, presentation] = splitStages(text);
    const flat = text.replace(/\s+/gu, '');
    const names = new Map<number, string>();
    for (const item of res.ranking.items) for (const st of [item.stages.material, item.stages.presentation]) for (const m of st?.marks ?? []) names.set(m.expertId, m.expertName);
    expect(names.size).toBe(s.experts.length);
    for (const x of s.experts) expect(flat).toContain(`${names.get(x.id)!.replace(/\s+/gu, '')}：`);

    let checked = 0;
    for (const item of res.ranking.items) {
      const pos = positions.get(item.entryId)!;
      for (const [stage, section] of [['material', material], ['presentation', presentation]] as const) {
        const line = section!.split('\n').find((l) => new RegExp(`^\\s*${pos}\\s`).test(l));
        expect({ entry: item.entryId, stage, line: line !== undefined }).toEqual({ entry: item.entryId, stage, line: true });
        const numbers = line!.match(/\d+\.\d+/g) ?? [];
        if (item.participation !== 'judged') {
          expect(line).toContain('缺席');
          continue;
        }
        const view = item.stages[stage]!;
        // Columns: the experts leader first, then by id (the scenario's order), then the stage score (and the final score).
        const byExpert = new Map(view.marks.map((m) => [m.expertId, m.points]));
        const want = [...s.experts.map((x) => byExpert.get(x.id)!), view.score, ...(stage === 'presentation' ? [item.finalScore!] : [])];
        expect({ entry: item.entryId, stage, numbers }).toEqual({ entry: item.entryId, stage, numbers: want });
        for (const m of view.marks) {
          if (m.status === 'dropped_highest') expect(line).toContain(`${m.points}（去高）`);
          if (m.status === 'dropped_lowest') expect(line).toContain(`${m.points}（去低）`);
        }
        checked++;
      }
    }
    expect(checked).toBe(2 * (s.entries.length - s.absentEntryIds.length));
  });
});

/** The text of the two stage tables (material first, then presentation). */
function splitStages(text: string): [string, string] {
  const i = text.indexOf('材料评审（成果报告）');
  const j = text.search(/^\s*现场发表\s*$/mu);
  const k = text.indexOf('注：');
  expect(0 < i && i < j && j < k).toBe(true);
  return [text.slice(i, j), text.slice(j, k)];
}
