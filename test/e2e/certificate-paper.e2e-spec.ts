// Certificates as the office needs them (issue 13): the team's members where the contest's rules say
// so (default: as before, the team name only), a clear area for the organizer's 公章 over the
// signature block, and the date of the results' publication rather than the day the file is made.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'superagent';
import { SEAL } from '../../src/results/exports/certificate-pdf.js';
import { resultsContest, type ResultsScenario } from '../factories/results.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(240_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

interface Word { text: string; xMin: number; yMin: number; xMax: number; yMax: number }

/** The PDF's words with their boxes (pdftotext -bbox), in PDF points from the top-left corner. */
function words(pdf: Buffer): Word[] {
  const dir = mkdtempSync(join(tmpdir(), 'qc-cert-'));
  try {
    writeFileSync(join(dir, 'c.pdf'), pdf);
    const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
    return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]!,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A calendar date as printed: 2020年9月29日 (China time). */
const chineseDate = (at: Date) => {
  const d = new Date(at.getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};

describe(`certificates: members, the seal area and the publication date (${TEST_DB})`, () => {
  let t: TestApp;
  let withMembers: ResultsScenario;
  let plain: ResultsScenario;
  const PUBLISHED = new Date('2020-09-29T02:30:00Z'); // the forum's day, 10:30 in Tianjin

  const certificate = async (s: ResultsScenario, entryId: number) => {
    const res = await t.http().get(`/api/entries/${entryId}/certificate.pdf`).set(auth(s.organizer)).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    return res.body as Buffer;
  };

  beforeAll(async () => {
    t = await createTestApp();
    withMembers = await resultsContest(t, 'published', { entries: 3, experts: 3, units: 1, rules: { certificateTeamMembers: true } });
    plain = await resultsContest(t, 'published', { entries: 3, experts: 3, units: 1 });
    // The results were published on the forum's day; the certificates are made today.
    await t.dataSource.query("UPDATE result_snapshots SET published_at = ? WHERE contest_id = ? AND status = 'published'", ['2020-09-29 02:30:00', withMembers.contest.id]);
  });
  afterAll(() => t.close());

  it("names the team's members (组长 first) when the rules say so, and is dated the publication day, not today", async () => {
    const contest = (await t.http().get(`/api/contests/${withMembers.contest.id}`).set(auth(withMembers.organizer)).expect(200)).body as { rules: { certificateTeamMembers: boolean } };
    expect(contest.rules.certificateTeamMembers).toBe(true);
    const entry = withMembers.entries[0]!;
    const pdf = await certificate(withMembers, entry.id);
    mkdirSync('test-output', { recursive: true });
    writeFileSync(`test-output/certificate-members-${TEST_DB}.pdf`, pdf);
    const text = words(pdf).map((w) => w.text).join('');
    expect(text).toContain('小组成员：王强、李娜');
    expect(text).toContain(chineseDate(PUBLISHED));
    expect(text).not.toContain(chineseDate(new Date()));
  });

  it('by default prints the team name only, dated the publication day (today here)', async () => {
    const list = (await t.http().get(`/api/public/contests/${plain.contest.id}/results`).expect(200)).body as { publishedAt: string };
    const pdf = await certificate(plain, plain.entries[0]!.id);
    const text = words(pdf).map((w) => w.text).join('');
    expect(text).toContain(plain.entries[0]!.teamName.replace(/\s+/gu, ''));
    expect(text).not.toContain('小组成员');
    expect(text).toContain(chineseDate(new Date(list.publishedAt)));
  });

  it('keeps the seal area clear: nothing but the issuer and the date within it', async () => {
    for (const [s, entryId] of [[withMembers, withMembers.entries[0]!.id], [plain, plain.entries[0]!.id]] as const) {
      const all = words(await certificate(s, entryId));
      const inSeal = all.filter((w) => w.xMax > SEAL.cx - SEAL.r && w.xMin < SEAL.cx + SEAL.r && w.yMax > SEAL.cy - SEAL.r && w.yMin < SEAL.cy + SEAL.r);
      const allowed = `${s.contest.name}组委会${chineseDate(s === withMembers ? PUBLISHED : new Date())}`.replace(/\s+/gu, '');
      expect(inSeal.length).toBeGreaterThan(0);
      for (const w of inSeal) expect({ word: w.text, allowed: allowed.includes(w.text) }).toEqual({ word: w.text, allowed: true });
      // The body ends above the seal area.
      const body = all.filter((w) => !allowed.includes(w.text) && !w.text.startsWith('证书编号'));
      expect(Math.max(...body.filter((w) => w.yMin < 400).map((w) => w.yMax))).toBeLessThan(SEAL.cy - SEAL.r);
    }
  });
});
