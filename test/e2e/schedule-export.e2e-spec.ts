// Schedule exports (issue 13): the sessions as xlsx (one sheet per session) and as iCalendar, parsed
// with ical.js and exceljs and compared with the API's sessions; each caller sees only its slots.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Response } from 'superagent';
import { createExpert } from '../factories/organisations.js';
import { buildResultsScenario, type ResultsScenario } from '../factories/results.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(240_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

interface Slot { entryId: number; position: number; startsAt: string; title: string; teamName: string; enterpriseName: string }
interface Session { id: number; name: string; venue: string; slotMinutes: number; qaMinutes: number; slots: Slot[] }
interface Event { uid: string; start: number; end: number; summary: string; location: string; description: string }

/** The events of a calendar, as ical.js reads them (its VTIMEZONE registered, so local times convert to UTC). */
function parseIcs(text: string): Event[] {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, start: e.startDate.toJSDate().getTime(), end: e.endDate.toJSDate().getTime(), summary: e.summary, location: e.location, description: e.description };
  });
}

/** A UTC instant in China time, as the xlsx writes it. */
const china = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe(`schedule exports: xlsx and iCalendar (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let session: Session;
  let outsider: string;

  const get = async (path: string, token?: string) => {
    let req = t.http().get(path).buffer(true).parse(binary);
    if (token) req = req.set(auth(token));
    const res = await req;
    const body = res.body as Buffer;
    return { status: res.status, headers: res.headers as Record<string, string>, body, json: () => JSON.parse(body.toString('utf8')) as Record<string, unknown> };
  };

  beforeAll(async () => {
    t = await createTestApp();
    // Titles with what iCalendar must escape (comma, semicolon, backslash) and an emoji; two enterprises.
    s = await buildResultsScenario(t, { entries: 4, experts: 3, units: 1, perEnterprise: 2, title: (i) => `降低焊接缺陷率; 第${i + 1}项, “一次合格” \\ 🔧` });
    session = (await t.http().get(`/api/sessions/${s.session.id}`).set(auth(s.organizer)).expect(200)).body as Session;
    expect(session.slots).toHaveLength(4);
    outsider = (await createExpert(t, s.organizer, { name: '场外专家' })).account.token;
  });
  afterAll(() => t.close());

  const ics = (token?: string) => get(`/api/contests/${s.contest.id}/schedule.ics`, token);

  it('the organizer: one event per slot, in Asia/Shanghai, CRLF lines folded at 75 octets, stable UIDs', async () => {
    const d = await ics(s.organizer);
    expect(d.status).toBe(200);
    expect(d.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(d.headers['cache-control']).toBe('private, no-store');
    const text = d.body.toString('utf8');
    mkdirSync('test-output', { recursive: true });
    writeFileSync(`test-output/schedule-${TEST_DB}.ics`, text);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(lines.every((l) => !/[\r\n]/.test(l) && Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    expect(lines.some((l) => l.startsWith(' '))).toBe(true); // long lines were folded
    expect(text).toContain('TZID:Asia/Shanghai');
    const events = parseIcs(text);
    expect(events).toHaveLength(session.slots.length);
    for (const x of session.slots) {
      const e = events.find((ev) => ev.uid === `session-${session.id}-entry-${x.entryId}@qc-judging`)!;
      expect(e).toBeDefined();
      expect(e.start).toBe(Date.parse(x.startsAt));
      expect(e.end - e.start).toBe((session.slotMinutes + session.qaMinutes) * 60_000);
      expect(e.summary).toBe(`现场发表 第${x.position}位：${x.title}（${x.teamName}）`);
      expect(e.location).toBe(session.venue);
      expect(e.description).toContain(`企业：${x.enterpriseName}`);
      expect(e.description).toContain(`成果：${x.title}`);
    }
    // Made again: the same UIDs (a calendar updates the events instead of adding copies).
    expect(parseIcs((await ics(s.organizer)).body.toString('utf8')).map((e) => e.uid).sort()).toEqual(events.map((e) => e.uid).sort());
  });

  it('an enterprise gets only its own entries\' slots; an expert only its assigned entries; an outsider expert none', async () => {
    for (const ent of s.enterprises) {
      const mine = s.entries.filter((e) => e.enterpriseId === ent.id).map((e) => `session-${session.id}-entry-${e.id}@qc-judging`).sort();
      expect(mine).toHaveLength(2);
      const d = await ics(ent.token);
      expect(d.status).toBe(200);
      expect(parseIcs(d.body.toString('utf8')).map((e) => e.uid).sort()).toEqual(mine);
    }
    const expert = parseIcs((await ics(s.experts[1]!.token)).body.toString('utf8'));
    expect(expert.map((e) => e.uid).sort()).toEqual(session.slots.map((x) => `session-${session.id}-entry-${x.entryId}@qc-judging`).sort());
    const none = await ics(outsider);
    expect(none.status).toBe(200);
    expect(parseIcs(none.body.toString('utf8'))).toEqual([]);
  });

  it('the organizer\'s xlsx: one sheet per session whose rows equal the API\'s slots', async () => {
    const d = await get(`/api/contests/${s.contest.id}/schedule.xlsx`, s.organizer);
    expect(d.status).toBe(200);
    expect(d.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    writeFileSync(`test-output/schedule-${TEST_DB}.xlsx`, d.body);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(d.body as unknown as ArrayBuffer);
    const sessions = (await t.http().get(`/api/contests/${s.contest.id}/sessions`).set(auth(s.organizer)).expect(200)).body as { items: { id: number; name: string }[] };
    expect(wb.worksheets.map((w) => w.name)).toEqual(sessions.items.map((x) => x.name));
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell(1, 1).value)).toContain(session.name);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(['顺序', '开始时间', '结束时间', '小组名称', '企业名称', '成果名称', '签到']);
    const got = Array.from({ length: ws.rowCount - 2 }, (_, k) => (ws.getRow(k + 3).values as unknown[]).slice(1, 7));
    const want = session.slots.map((x) => [
      x.position, china(x.startsAt), china(new Date(Date.parse(x.startsAt) + (session.slotMinutes + session.qaMinutes) * 60_000).toISOString()), x.teamName, x.enterpriseName, x.title,
    ]);
    expect(got).toEqual(want);
  });

  it('refuses the wrong callers: 401 without a token, 403 for other roles, xlsx for organizers only, 404 and 400 for bad contests', async () => {
    for (const path of [`/api/contests/${s.contest.id}/schedule.ics`, `/api/contests/${s.contest.id}/schedule.xlsx`]) {
      expectErrorBody((await get(path)).json(), 401, 'unauthenticated');
      for (const token of [s.units[0]!.token, s.admin]) {
        const d = await get(path, token);
        expect(d.status).toBe(403);
        expectErrorBody(d.json(), 403, 'forbidden');
      }
    }
    for (const token of [s.enterprises[0]!.token, s.experts[0]!.token]) {
      expectErrorBody((await get(`/api/contests/${s.contest.id}/schedule.xlsx`, token)).json(), 403, 'forbidden');
    }
    expectErrorBody((await get('/api/contests/99999999/schedule.ics', s.organizer)).json(), 404, 'not_found');
    expectErrorBody((await get('/api/contests/99999999/schedule.ics', s.enterprises[0]!.token)).json(), 404, 'not_found');
    expectErrorBody((await get('/api/contests/x/schedule.xlsx', s.organizer)).json(), 400, 'invalid_id');
  });
});
