import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'superagent';
import { ExportsService } from '../../src/results/exports/exports.service.js';
import { setPhase } from '../factories/contests.js';
import { buildResultsScenario, computeResults, descendingTotals, freezeResults, publish, resultsContest, scoreAll, toFinalizing, type ResultsScenario } from '../factories/results.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** Collects any response body as bytes (xlsx, csv, pdf, zip and JSON errors alike). */
function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

interface Download {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  json: () => Record<string, unknown>;
}

/** The name in Content-Disposition's RFC 5987 `filename*`. */
function dispositionName(headers: Record<string, string>): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(headers['content-disposition'] ?? '');
  if (!m) throw new Error(`no filename* in ${headers['content-disposition']}`);
  return decodeURIComponent(m[1]!);
}

function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).error === undefined;
/** The PDF's text (whitespace removed) via poppler's pdftotext, or null where it is not installed. */
function pdfText(pdf: Buffer): string | null {
  if (!HAS_PDFTOTEXT) {
    console.warn('pdftotext not found (apt-get install -y poppler-utils): certificate TEXT checks skipped, structure checks ran');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'qc-cert-e2e-'));
  try {
    writeFileSync(join(dir, 'c.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/gu, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readXlsx(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}
const rowValues = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1);

/** CSV lines as fields (the exports quote only where needed; enough for these rows). */
function csvRows(buf: Buffer): string[][] {
  const text = buf.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

// Entries 0..5 in rank order (descending totals); quotas 1/1/1/1, one excellent unit.
// Enterprise A (unit 0): entries 0, 1, 2 → 一等奖, 二等奖, 三等奖. Enterprise B (unit 1): entry 3 → 优秀奖,
// entry 4 not awarded, entry 5 absent. Unit 0 (19 points) is the excellent unit.
const TITLE_0 = '降低焊接缺陷率 🔧 “一次合格”, 第一阶段';
const ENTERPRISE_A = '天津滨海🏭精工制造有限公司';
const UNIT_0 = '滨海新区质量协会🌊';

describe(`exports and certificates (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let base: string;
  let recommender0: string;
  let recommender1: string;
  let enterpriseA: string;
  let enterpriseB: string;
  let expert: string;
  const entry = (i: number) => s.entries[i]!;

  const get = async (path: string, token?: string): Promise<Download> => {
    let req = t.http().get(path).buffer(true).parse(binary);
    if (token) req = req.set(auth(token));
    const res = await req;
    const body = res.body as Buffer;
    return { status: res.status, headers: res.headers as Record<string, string>, body, json: () => JSON.parse(body.toString('utf8')) as Record<string, unknown> };
  };
  const expectError = (d: Download, status: number, code: string) => {
    expect({ status: d.status, type: d.headers['content-type'] }).toEqual({ status, type: expect.stringContaining('application/json') });
    expectErrorBody(d.json(), status, code);
  };

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildResultsScenario(t, {
      entries: 6,
      experts: 5,
      absent: 1,
      units: 2,
      perEnterprise: 3,
      rules: { quotas: { mode: 'count', scope: 'overall', counts: { first: 1, second: 1, third: 1, excellence: 1 } }, excellentUnits: { topN: 1 } },
      title: (i) => (i === 0 ? TITLE_0 : `提高产品一次交检合格率 第${i + 1}项`),
    });
    // Chinese + emoji names, set before the computation takes its labels.
    await t.http().patch(`/api/enterprises/${entry(0).enterpriseId}`).set(auth(s.organizer)).send({ name: ENTERPRISE_A }).expect(200);
    await t.http().patch(`/api/units/${s.units[0]!.id}`).set(auth(s.organizer)).send({ name: UNIT_0 }).expect(200);
    await scoreAll(t, s, descendingTotals);
    await toFinalizing(t, s);
    base = `/api/contests/${s.contest.id}`;
    recommender0 = s.units[0]!.token;
    recommender1 = s.units[1]!.token;
    enterpriseA = s.enterprises.find((e) => e.id === entry(0).enterpriseId)!.token;
    enterpriseB = s.enterprises.find((e) => e.id === entry(3).enterpriseId)!.token;
    expect(entry(0).enterpriseId).not.toBe(entry(3).enterpriseId);
    expert = s.experts[1]!.token;
  }, 180_000);
  afterAll(() => t.close());

  it('before the computation: 404 results_not_computed for the organizer, 404 for everyone else', async () => {
    expectError(await get(`${base}/results/export.xlsx`, s.organizer), 404, 'results_not_computed');
    expectError(await get(`${base}/results/export.csv`, s.organizer), 404, 'results_not_computed');
    expectError(await get(`${base}/results/export.xlsx`), 404, 'not_found');
    await computeResults(t, s);
  });

  it('before the notice: the organizer exports the computed list (待公示, with scores); nobody else sees anything', async () => {
    const x = await get(`${base}/results/export.xlsx`, s.organizer);
    expect(x.status).toBe(200);
    expect(x.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(x.headers['cache-control']).toBe('private, no-store');
    expect(dispositionName(x.headers)).toBe(`${s.contest.name}-获奖名单（待公示·第1版）.xlsx`);
    expect(x.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    const wb = await readXlsx(x.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['一等奖', '二等奖', '三等奖', '优秀奖', '优秀推荐单位']);
    const first = wb.getWorksheet('一等奖')!;
    expect(first.getCell('A1').value).toBe(`${s.contest.name}\u3000一等奖名单（待公示·第1版）`);
    expect(rowValues(first, 2)).toEqual(['序号', '成果名称', '企业名称', '小组名称', '推荐单位', '奖项', '得分']);
    expect(rowValues(first, 3).slice(0, 6)).toEqual([1, TITLE_0, ENTERPRISE_A, entry(0).teamName, UNIT_0, '一等奖']);
    expect(typeof first.getCell('G3').value).toBe('number');

    const c = await get(`${base}/results/export.csv`, s.organizer);
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(dispositionName(c.headers)).toBe(`${s.contest.name}-获奖名单（待公示·第1版）.csv`);
    const rows = csvRows(c.body);
    expect(rows[0]).toEqual(['序号', '奖项', '成果名称', '企业名称', '小组名称', '推荐单位', '得分']);
    expect(rows.slice(1, 5).map((r) => r.slice(0, 3))).toEqual([
      ['1', '一等奖', TITLE_0],
      ['2', '二等奖', entry(1).title],
      ['3', '三等奖', entry(2).title],
      ['4', '优秀奖', entry(3).title],
    ]);
    expect(rows[1]![6]).toMatch(/^\d+\.\d\d$/);
    expect(rows.slice(5)).toEqual([[''], ['优秀推荐单位'], ['序号', '推荐单位', '积分', '获奖成果数'], ['1', UNIT_0, '19', '3']]);

    for (const token of [undefined, enterpriseA, recommender0, expert, s.admin]) {
      expectError(await get(`${base}/results/export.xlsx`, token), 404, 'not_found');
      expectError(await get(`${base}/results/export.csv`, token), 404, 'not_found');
    }
    expectError(await get(`${base}/results/export.csv`, 'not-a-token'), 401, 'token_invalid');
    // No certificate before publication, for anyone.
    expectError(await get(`${base}/results/certificates.zip`, s.organizer), 403, 'results_not_published');
    await freezeResults(t, s);
    await setPhase(t, s.organizer, s.contest.id, 'notice');
  });

  it('during the notice: anyone downloads exactly the public list (公示, no scores by default)', async () => {
    const pub = await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200);
    for (const token of [undefined, enterpriseB, expert]) {
      const x = await get(`${base}/results/export.xlsx`, token);
      expect(x.status).toBe(200);
      expect(dispositionName(x.headers)).toBe(`${s.contest.name}-获奖名单（公示·第1版）.xlsx`);
      const wb = await readXlsx(x.body);
      for (const [sheet, level] of [['一等奖', 'first'], ['二等奖', 'second'], ['三等奖', 'third'], ['优秀奖', 'excellence']] as const) {
        const ws = wb.getWorksheet(sheet)!;
        expect(ws.getCell('A1').value).toBe(`${s.contest.name}\u3000${sheet}名单（公示·第1版）`);
        expect(rowValues(ws, 2)).toEqual(['序号', '成果名称', '企业名称', '小组名称', '推荐单位', '奖项']);
        const want = (pub.body.levels[level] as { seq: number; title: string; enterpriseName: string; teamName: string; unitName: string }[]).map((e) => [e.seq, e.title, e.enterpriseName, e.teamName, e.unitName, sheet]);
        const got = Array.from({ length: ws.rowCount - 2 }, (_, k) => rowValues(ws, k + 3));
        expect(got).toEqual(want);
        expect(got).toHaveLength(1);
      }
      const units = wb.getWorksheet('优秀推荐单位')!;
      expect(rowValues(units, 3)).toEqual([1, UNIT_0, 19, 3]);

      const c = await get(`${base}/results/export.csv`, token);
      expect(c.status).toBe(200);
      const rows = csvRows(c.body);
      expect(rows[0]).toEqual(['序号', '奖项', '成果名称', '企业名称', '小组名称', '推荐单位']);
      expect(rows[1]).toEqual(['1', '一等奖', TITLE_0, ENTERPRISE_A, entry(0).teamName, UNIT_0]);
      expect(c.body.toString('utf8')).toContain(`"${TITLE_0.replace(/"/g, '""')}"`);
    }
    // The organizer still gets the scores.
    const org = await readXlsx((await get(`${base}/results/export.xlsx`, s.organizer)).body);
    expect(rowValues(org.getWorksheet('一等奖')!, 2)).toContain('得分');
    expect(org.getWorksheet('一等奖')!.getCell('A1').value).toBe(`${s.contest.name}\u3000一等奖名单（公示·第1版）`);
  });

  it('during the notice: certificates are refused (403 before publication, 404 for what the caller may not see)', async () => {
    expectError(await get(`${base}/results/certificates.zip`, s.organizer), 403, 'results_not_published');
    expectError(await get(`/api/entries/${entry(0).id}/certificate.pdf`, enterpriseA), 403, 'results_not_published');
    expectError(await get(`/api/entries/${entry(0).id}/certificate.pdf`, s.organizer), 403, 'results_not_published');
    expectError(await get(`/api/entries/${entry(0).id}/certificate.pdf`, enterpriseB), 404, 'not_found');
    expectError(await get(`${base}/units/${s.units[0]!.id}/certificate.pdf`, recommender0), 403, 'results_not_published');
    await publish(t, s);
  });

  it('after publication: the organizer downloads every certificate in one zip', async () => {
    const z = await get(`${base}/results/certificates.zip`, s.organizer);
    expect(z.status).toBe(200);
    expect(z.headers['content-type']).toBe('application/zip');
    expect(dispositionName(z.headers)).toBe(`${s.contest.name}-荣誉证书（第1版）.zip`);
    const zip = await JSZip.loadAsync(z.body);
    const names = Object.keys(zip.files).sort();
    const year = 2020;
    expect(names.map((n) => n.split('_')[0])).toEqual([`QC${year}-01-001`, `QC${year}-02-001`, `QC${year}-03-001`, `QC${year}-04-001`, `QC${year}-05-001`]);
    for (const name of names) {
      const pdf = Buffer.from(await zip.file(name)!.async('uint8array'));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfPageCount(pdf)).toBe(1);
    }
    expect(names[0]).toBe(`QC${year}-01-001_天津滨海精工制造有限公司_降低焊接缺陷率 “一次合格”, 第一阶段.pdf`);
    const text = pdfText(Buffer.from(await zip.file(names[4]!)!.async('uint8array')));
    if (text !== null) expect(text).toContain('滨海新区质量协会：');
  });

  it('after publication: an enterprise downloads the certificate of its own awarded entry, and only that', async () => {
    const mine = await get(`/api/entries/${entry(0).id}/certificate.pdf`, enterpriseA);
    expect(mine.status).toBe(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(dispositionName(mine.headers)).toBe('荣誉证书-QC2020-01-001.pdf');
    expect(mine.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPageCount(mine.body)).toBe(1);
    const text = pdfText(mine.body);
    if (text !== null) {
      for (const part of ['荣誉证书', '天津滨海精工制造有限公司', entry(0).teamName.replace(/\s+/gu, ''), '降低焊接缺陷率“一次合格”,第一阶段', '一等奖', 'QC2020-01-001']) expect(text).toContain(part);
    }
    expect((await get(`/api/entries/${entry(3).id}/certificate.pdf`, enterpriseB)).status).toBe(200);
    expect((await get(`/api/entries/${entry(2).id}/certificate.pdf`, s.organizer)).status).toBe(200);

    // Another enterprise's entry: it may not know it exists.
    expectError(await get(`/api/entries/${entry(0).id}/certificate.pdf`, enterpriseB), 404, 'not_found');
    // Its own entry, not awarded (ranked below the quotas) or absent: no certificate.
    expectError(await get(`/api/entries/${entry(4).id}/certificate.pdf`, enterpriseB), 404, 'certificate_not_found');
    expectError(await get(`/api/entries/${entry(5).id}/certificate.pdf`, enterpriseB), 404, 'certificate_not_found');
    expectError(await get('/api/entries/99999999/certificate.pdf', s.organizer), 404, 'not_found');
  });

  it('after publication: the excellent unit\'s recommender downloads its certificate; other units are refused', async () => {
    const mine = await get(`${base}/units/${s.units[0]!.id}/certificate.pdf`, recommender0);
    expect(mine.status).toBe(200);
    expect(dispositionName(mine.headers)).toBe('荣誉证书-QC2020-05-001.pdf');
    expect(pdfPageCount(mine.body)).toBe(1);
    const text = pdfText(mine.body);
    if (text !== null) expect(text).toContain('滨海新区质量协会：你单位在');
    expect((await get(`${base}/units/${s.units[0]!.id}/certificate.pdf`, s.organizer)).status).toBe(200);
    expectError(await get(`${base}/units/${s.units[0]!.id}/certificate.pdf`, recommender1), 403, 'forbidden');
    expectError(await get(`${base}/units/${s.units[1]!.id}/certificate.pdf`, recommender1), 404, 'certificate_not_found');
    expectError(await get(`${base}/units/${s.units[1]!.id}/certificate.pdf`, s.organizer), 404, 'certificate_not_found');
    expectError(await get(`/api/contests/99999999/units/${s.units[0]!.id}/certificate.pdf`, s.organizer), 404, 'not_found');
  });

  it('refuses every certificate route to the wrong roles (403) and to anonymous callers (401), never with data', async () => {
    const routes = [`${base}/results/certificates.zip`, `/api/entries/${entry(0).id}/certificate.pdf`, `${base}/units/${s.units[0]!.id}/certificate.pdf`];
    // route → caller → status (enterprise B asks for enterprise A's entry: 404, it may not know it exists)
    const expected: Record<string, number>[] = [
      { admin: 403, expert: 403, enterprise: 403, recommender: 403, organizer: 200 },
      { admin: 403, expert: 403, enterprise: 404, recommender: 403, organizer: 200 },
      { admin: 403, expert: 403, enterprise: 403, recommender: 200, organizer: 200 },
    ];
    const callers: [string, string][] = [['admin', s.admin], ['expert', expert], ['enterprise', enterpriseB], ['recommender', recommender0], ['organizer', s.organizer]];
    for (const [k, route] of routes.entries()) {
      expectError(await get(route), 401, 'unauthenticated');
      for (const [role, token] of callers) {
        const d = await get(route, token);
        const want = expected[k]![role]!;
        if (want === 200) expect({ route, role, status: d.status }).toEqual({ route, role, status: 200 });
        else expectError(d, want, want === 404 ? 'not_found' : 'forbidden');
      }
    }
  });

  it('validates ids and the version query (400 with field codes); unknown contests and versions are 404', async () => {
    const bad = await get(`${base}/results/export.xlsx?version=abc&extra=1`);
    expectError(bad, 400, 'validation_failed');
    const byField = Object.fromEntries((bad.json().errors as { field: string; code: string }[]).map((e) => [e.field, e.code]));
    expect(byField).toEqual({ version: 'is_int', extra: 'unknown_field' });
    expectError(await get(`${base}/results/export.csv?version=0`), 400, 'validation_failed');
    expectError(await get('/api/contests/abc/results/export.csv'), 400, 'invalid_id');
    expectError(await get('/api/entries/abc/certificate.pdf', s.organizer), 400, 'invalid_id');
    expectError(await get(`${base}/units/x/certificate.pdf`, s.organizer), 400, 'invalid_id');
    expectError(await get('/api/contests/99999999/results/export.xlsx'), 404, 'not_found');
    expectError(await get('/api/contests/99999999/results/certificates.zip', s.organizer), 404, 'not_found');
    expectError(await get(`${base}/results/export.xlsx?version=99`), 404, 'not_found');
  });

  it('follows a republication: the current version by default, the earlier one on request; certificates from the current one', async () => {
    const re = await t.http().post(`${base}/results/republish`).set(auth(s.organizer))
      .send({ reason: '复核后更正 ✅', adjustments: [{ entryId: entry(4).id, level: 'excellence', reason: '异议复核：补评优秀奖' }] });
    // Set-up through the results feature (its success status for this POST is its own: 200 or 201).
    if (re.status >= 300) throw new Error(`republish: ${re.status} ${JSON.stringify(re.body)}`);
    const v2 = csvRows((await get(`${base}/results/export.csv`)).body);
    expect(v2.slice(1, 6).map((r) => [r[1], r[2]])).toEqual([
      ['一等奖', TITLE_0], ['二等奖', entry(1).title], ['三等奖', entry(2).title], ['优秀奖', entry(3).title], ['优秀奖', entry(4).title],
    ]);
    const v1 = await get(`${base}/results/export.xlsx?version=1`);
    expect(dispositionName(v1.headers)).toBe(`${s.contest.name}-获奖名单（发布·第1版）.xlsx`);
    expect((await readXlsx(v1.body)).getWorksheet('优秀奖')!.rowCount).toBe(3);
    const cert = await get(`/api/entries/${entry(4).id}/certificate.pdf`, enterpriseB);
    expect(cert.status).toBe(200);
    expect(dispositionName(cert.headers)).toBe('荣誉证书-QC2020-04-002.pdf');
  });

  it('shows scores in the public exports when the contest shows them publicly', async () => {
    const shown = await resultsContest(t, 'notice', { entries: 3, experts: 3, units: 1, rules: { showScoresPublicly: true } });
    const pub = await t.http().get(`/api/public/contests/${shown.contest.id}/results`).expect(200);
    const firstScore = pub.body.levels.first[0].score as string;
    expect(firstScore).toMatch(/^\d+\.\d\d$/);
    const rows = csvRows((await get(`/api/contests/${shown.contest.id}/results/export.csv`)).body);
    expect(rows[0]).toEqual(['序号', '奖项', '成果名称', '企业名称', '小组名称', '推荐单位', '得分']);
    expect(rows[1]![6]).toBe(firstScore);
    const wb = await readXlsx((await get(`/api/contests/${shown.contest.id}/results/export.xlsx`)).body);
    expect(rowValues(wb.getWorksheet('一等奖')!, 2)).toEqual(['序号', '成果名称', '企业名称', '小组名称', '推荐单位', '奖项', '得分']);
    expect(wb.getWorksheet('一等奖')!.getCell('G3').value).toBe(Number(firstScore));
  }, 60_000);

  it('writes the xlsx, csv and certificates zip of a published contest to a directory (for the demo)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-exports-'));
    try {
      const written = await t.app.get(ExportsService).writeAll(s.contest.id, join(dir, 'out'));
      expect(written.map((p) => p.slice(dir.length + 5))).toEqual(['award-list.xlsx', 'award-list.csv', 'certificates.zip']);
      const zip = await JSZip.loadAsync(readFileSync(written[2]!));
      expect(Object.keys(zip.files)).toHaveLength(6);
      expect((await readXlsx(readFileSync(written[0]!))).worksheets).toHaveLength(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
