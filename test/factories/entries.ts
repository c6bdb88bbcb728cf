// Entries, attachments and recommendation through the HTTP API (used by later features too).
import { ADMIN, createUser, login, type TestApp } from '../support/test-app.js';
import { openContest, type ContestOut } from './contests.js';
import { createEnterprise, createEnterpriseAccount, createExpert, createUnit, createUnitAccount, type AccountOut, type EnterpriseOut, type UnitOut } from './organisations.js';

export interface TeamOut { name: string; leader: string; members: { name: string; jobTitle: string; role: string }[] }
export interface EntryOut {
  id: number;
  contestId: number;
  enterpriseId: number;
  unitId: number;
  trackId: number | null;
  title: string;
  entryType: string;
  status: string;
  team: TeamOut;
  summary: string;
  activityStart: string;
  activityEnd: string;
  economicBenefit: number;
  benefitDescription: string;
  submittedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface AttachmentOut {
  id: number;
  entryId: number;
  kind: string;
  version: number;
  current: boolean;
  originalName: string;
  mime: string;
  size: number;
  sha256: string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
let seq = 0;

/** A tiny but well-formed PDF (header, one page, xref, trailer, %%EOF). */
export function minimalPdf(note = 'QC report'): Buffer {
  const objects = [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    `3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>\nendobj\n`,
    // /Length is the stream's exact byte count (the body is written as latin1: one byte per character).
    `4 0 obj\n<< /Length ${note.length + 2} >>\nstream\n% ${note}\nendstream\nendobj\n`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += o;
  }
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A minimal stored zip with these entry names (e.g. an Office Open XML skeleton). */
export function makeZip(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const n = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n);
    centrals.push(central, n);
    offset += 30 + n.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const minimalPptx = () => makeZip(['[Content_Types].xml', '_rels/.rels', 'ppt/presentation.xml', 'ppt/slides/slide1.xml']);

/** A valid creation body; override any field. */
export function entryBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = ++seq;
  return {
    title: `降低焊接缺陷率 #${n}`,
    entryType: 'problem_solving',
    team: {
      name: `精益QC小组${n}`,
      leader: '王强',
      members: [
        { name: '王强', jobTitle: '高级工程师', role: '组长' },
        { name: '李娜', jobTitle: '工程师', role: '组员' },
      ],
    },
    summary: '通过现状调查、要因确认和对策实施，将焊接缺陷率由 3.2% 降至 0.8%。',
    activityStart: '2019-03-01',
    activityEnd: '2019-12-31',
    economicBenefit: 1250000,
    benefitDescription: '年节约返工成本 125 万元',
    ...overrides,
  };
}

export async function createEntry(t: TestApp, enterpriseToken: string, contestId: number, overrides: Record<string, unknown> = {}): Promise<EntryOut> {
  const res = await t.http().post(`/api/contests/${contestId}/entries`).set(bearer(enterpriseToken)).send(entryBody(overrides));
  if (res.status !== 201) throw new Error(`createEntry: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as EntryOut;
}

/** Uploads an attachment; returns the raw response (callers assert status and body). */
export function uploadAttachment(t: TestApp, token: string, entryId: number, kind: string | null, data: Buffer, filename: string) {
  const req = t.http().post(`/api/entries/${entryId}/attachments`).set(bearer(token));
  if (kind !== null) req.field('kind', kind);
  return req.attach('file', data, { filename, contentType: 'application/octet-stream' });
}

export async function uploadReport(t: TestApp, enterpriseToken: string, entryId: number, filename = '成果报告.pdf'): Promise<AttachmentOut> {
  const res = await uploadAttachment(t, enterpriseToken, entryId, 'report', minimalPdf(`entry ${entryId}`), filename);
  if (res.status !== 201) throw new Error(`uploadReport: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as AttachmentOut;
}

export async function submitEntry(t: TestApp, enterpriseToken: string, entryId: number): Promise<EntryOut> {
  const res = await t.http().post(`/api/entries/${entryId}/submit`).set(bearer(enterpriseToken));
  if (res.status !== 200) throw new Error(`submitEntry: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as EntryOut;
}

export async function recommendEntry(t: TestApp, recommenderToken: string, entryId: number): Promise<EntryOut> {
  const res = await t.http().post(`/api/entries/${entryId}/recommend`).set(bearer(recommenderToken));
  if (res.status !== 200) throw new Error(`recommendEntry: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as EntryOut;
}

/** An entry created, given a report, submitted by its enterprise and recommended by its unit. */
export async function submittedRecommendedEntry(
  t: TestApp,
  enterpriseToken: string,
  recommenderToken: string,
  contestId: number,
  overrides: Record<string, unknown> = {},
): Promise<EntryOut> {
  const entry = await createEntry(t, enterpriseToken, contestId, overrides);
  await uploadReport(t, enterpriseToken, entry.id);
  await submitEntry(t, enterpriseToken, entry.id);
  return recommendEntry(t, recommenderToken, entry.id);
}

export interface IntakeSide {
  unit: UnitOut;
  recommender: AccountOut;
  enterprise: EnterpriseOut;
  owner: AccountOut;
}

export interface IntakeWorld {
  admin: string;
  organizer: string;
  contest: ContestOut;
  /** Enterprise A (account `owner`) enters through unit A (account `recommender`). */
  a: IntakeSide;
  /** Another enterprise through another unit. */
  b: IntakeSide;
  expert: string;
}

async function side(t: TestApp, organizer: string): Promise<IntakeSide> {
  const unit = await createUnit(t, organizer);
  const recommender = await createUnitAccount(t, organizer, unit.id);
  const enterprise = await createEnterprise(t, organizer, unit.id);
  const owner = await createEnterpriseAccount(t, organizer, enterprise.id);
  return { unit, recommender, enterprise, owner };
}

/**
 * An organizer, an open contest, two units each with one enterprise (and logins), and an expert
 * login. The contest allows 50 entries per enterprise (rather than 5) unless `rules` say otherwise,
 * so that many tests can share it.
 */
export async function createIntakeWorld(t: TestApp, contestOverrides: Record<string, unknown> = {}): Promise<IntakeWorld> {
  const admin = await login(t, ADMIN.username, ADMIN.password);
  const organizer = (await createUser(t, admin, { username: `organizer-${++seq}`, role: 'organizer', displayName: '组委会 张老师' })).token;
  const rules = { caps: { entriesPerEnterprise: 50 }, ...((contestOverrides.rules as Record<string, unknown> | undefined) ?? {}) };
  const contest = await openContest(t, organizer, { ...contestOverrides, rules });
  const expert = (await createExpert(t, organizer)).account.token;
  return { admin, organizer, contest, a: await side(t, organizer), b: await side(t, organizer), expert };
}
