import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Response } from 'supertest';
import {
  type AccountOut, createEnterprise, createEnterpriseAccount, createExpert, createUnit, createUnitAccount, type EnterpriseOut, newUscc, type UnitOut,
} from '../factories/organisations.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

type Body = Record<string, unknown>;
type Cell = string | number | null;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const fieldCodes = (body: Body) => Object.fromEntries((body.errors as { field: string; code: string }[]).map((e) => [e.field, e.code]));
const UPLOAD_LIMIT = 300_000;

/** An xlsx workbook whose first sheet holds these rows (row 1 being the header). */
async function xlsx(rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads a workbook back (exceljs types its input as the older, non-generic Buffer). */
async function readWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}

/** Collects a binary response body. */
function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** UTF-8 bytes of a CSV text, optionally with a byte order mark (as Excel's "CSV UTF-8" writes). */
const csv = (text: string, bom = false): Buffer => Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);

describe(`organisation imports from xlsx and CSV (${TEST_DB})`, () => {
  let t: TestApp;
  let admin: string;
  let organizer: string;
  let unit: UnitOut;
  let ent: EnterpriseOut;
  let recommender: AccountOut;
  let enterprise: AccountOut;
  let expert: AccountOut;

  const upload = (kind: string, file: Buffer, query = '', token = organizer, filename = '导入名单.xlsx') =>
    t.http().post(`/api/imports/${kind}${query}`).set(auth(token)).attach('file', file, filename);
  const count = async (path: string): Promise<number> => (await t.http().get(`/api/${path}?pageSize=1`).set(auth(organizer)).expect(200)).body.total as number;
  const counts = async () => ({ units: await count('units'), enterprises: await count('enterprises'), experts: await count('experts') });

  beforeAll(async () => {
    t = await createTestApp({ UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT) });
    admin = await login(t, ADMIN.username, ADMIN.password);
    organizer = (await createUser(t, admin, { username: 'organizer-1', role: 'organizer' })).token;
    unit = await createUnit(t, organizer, { name: '滨海新区质量协会' });
    ent = await createEnterprise(t, organizer, unit.id, { name: '天津示例制造有限公司' });
    recommender = await createUnitAccount(t, organizer, unit.id);
    enterprise = await createEnterpriseAccount(t, organizer, ent.id);
    expert = (await createExpert(t, organizer)).account;
  });
  afterAll(() => t.close());

  describe('templates', () => {
    it.each([
      ['units', ['单位名称', '单位类型', '联系人', '联系电话']],
      ['enterprises', ['企业名称', '统一社会信用代码', '所属行业', '地址', '联系人', '联系电话', '推荐单位']],
      ['experts', ['姓名', '职称', '专业领域', '联系电话', '工作单位类型', '工作单位名称', '工作单位统一社会信用代码', '熟悉行业', '擅长课题类型', '方法与专业', '从业年限', '关键词']],
    ])('serves the %s template as xlsx with its headers and instructions', async (kind, headers) => {
      const res = await t.http().get(`/api/imports/${kind}/template`).set(auth(organizer)).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toContain('spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="${kind}-template.xlsx"; filename\\*=UTF-8''%E`));
      const wb = await readWorkbook(res.body as Buffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['导入', '说明']);
      expect((wb.worksheets[0]!.getRow(1).values as Cell[]).slice(1)).toEqual(headers);
    });

    it('accepts its own template filled in', async () => {
      const res = await t.http().get('/api/imports/units/template').set(auth(organizer)).buffer(true).parse(binary).expect(200);
      const wb = await readWorkbook(res.body as Buffer);
      wb.worksheets[0]!.addRow(['模板填写单位', '行业协会', '张三', '022-1234567']);
      const done = await upload('units', Buffer.from(await wb.xlsx.writeBuffer())).expect(200);
      expect(done.body).toMatchObject({ kind: 'units', created: 1, ignoredColumns: [] });
    });
  });

  describe('units', () => {
    it('imports every row, by Chinese labels or codes, skipping empty rows and reporting unknown columns', async () => {
      const file = await xlsx([
        ['序号', '单位名称*', '单位类型', '联系人', '联系电话'],
        [1, '开发区🏭市场监管局', '开发区监管部门', '王五 😀', 13800138000],
        [null, null, null, null, null],
        [2, '新河街道', 'street_town', null, null],
        [3, ' 化工行业协会 ', '行业协会', '', '022-6666转1'],
      ]);
      const res = await upload('units', file).expect(200);
      expect(res.body).toEqual({ kind: 'units', dryRun: false, rowCount: 3, created: 3, ids: [expect.any(Number), expect.any(Number), expect.any(Number)], ignoredColumns: ['序号'] });
      const [a, b, c] = res.body.ids as number[];
      expect((await t.http().get(`/api/units/${a}`).set(auth(organizer)).expect(200)).body).toMatchObject({
        name: '开发区🏭市场监管局', kind: 'dev_zone_regulator', contactPerson: '王五 😀', phone: '13800138000',
      });
      expect((await t.http().get(`/api/units/${b}`).set(auth(organizer)).expect(200)).body).toMatchObject({ name: '新河街道', kind: 'street_town', contactPerson: null });
      expect((await t.http().get(`/api/units/${c}`).set(auth(organizer)).expect(200)).body).toMatchObject({ name: '化工行业协会', kind: 'industry_association', phone: '022-6666转1' });

      const audit = await t.http().get('/api/audit?action=organisations.import&targetId=units').set(auth(organizer)).expect(200);
      expect(audit.body.items[0].after).toEqual({ kind: 'units', fileName: '导入名单.xlsx', rowCount: 3, ids: res.body.ids });
      for (const id of [a, b, c]) {
        expect((await t.http().get(`/api/audit?targetType=unit&targetId=${id}`).set(auth(organizer)).expect(200)).body.items.map((e: Body) => e.action)).toEqual(['unit.create']);
      }
    });

    it('checks without writing on a dry run', async () => {
      const before = await counts();
      const res = await upload('units', await xlsx([['单位名称', '单位类型'], ['试算单位', '其他']]), '?dryRun=true').expect(200);
      expect(res.body).toEqual({ kind: 'units', dryRun: true, rowCount: 1, created: 0, ids: [], ignoredColumns: [] });
      expect(await counts()).toEqual(before);
    });

    it('lists every bad row by row and column, and imports nothing', async () => {
      const before = await counts();
      const file = await xlsx([
        ['单位名称', '单位类型', '联系电话'],
        ['好单位一', '其他', null],
        ['滨海新区质量协会', '其他', null],
        ['好单位一', '行业协会', null],
        ['坏类型单位', '部委', null],
        [null, '其他', null],
        ['坏电话单位', '其他', 'call me'],
        ['🏆'.repeat(201), '其他', null],
      ]);
      const res = await upload('units', file).expect(422);
      expectErrorBody(res.body, 422, 'import_invalid');
      expect(fieldCodes(res.body)).toEqual({
        'rows[3].name': 'unit_name_taken',
        'rows[4].name': 'duplicate_in_file',
        'rows[5].kind': 'is_in',
        'rows[6].name': 'required',
        'rows[7].phone': 'matches',
        'rows[8].name': 'max_length',
      });
      expect(res.body.details).toEqual({ rowCount: 7, invalidRows: 6, errorCount: 6, truncated: false });
      expect((res.body.errors as Body[])[0]!.message).toBe('第 3 行「单位名称」：已有同名的推荐单位');
      const en = await upload('units', file).set('accept-language', 'en').expect(422);
      expect((en.body.errors as Body[])[0]!.message).toBe('Row 3, name: A recommending unit with this name exists');
      expect(await counts()).toEqual(before);
    });
  });

  describe('enterprises', () => {
    it('imports enterprises as approved, with the unit named by its name', async () => {
      const [u1, u2] = [newUscc(), newUscc()];
      const file = await xlsx([
        ['企业名称', '统一社会信用代码', '所属行业', '地址', '联系人', '联系电话', '推荐单位'],
        ['津门🚀精工有限公司', u1, '制造业', '滨海新区黄海路 8 号', '刘一', 2258881234, '滨海新区质量协会'],
        ['海河服务有限公司', u2, '服务业', null, null, null, null],
      ]);
      const res = await upload('enterprises', file).expect(200);
      expect(res.body).toMatchObject({ kind: 'enterprises', rowCount: 2, created: 2 });
      const [a, b] = res.body.ids as number[];
      expect((await t.http().get(`/api/enterprises/${a}`).set(auth(organizer)).expect(200)).body).toMatchObject({
        name: '津门🚀精工有限公司', uscc: u1, industry: '制造业', phone: '2258881234', defaultUnitId: unit.id, status: 'approved',
      });
      expect((await t.http().get(`/api/enterprises/${b}`).set(auth(organizer)).expect(200)).body).toMatchObject({ uscc: u2, defaultUnitId: null, address: null });
      // The recommender of the unit sees its new enterprise.
      expect((await t.http().get(`/api/enterprises/${a}`).set(auth(recommender.token)).expect(200)).body.id).toBe(a);
    });

    it('refuses bad, duplicate and registered codes and unknown units, importing nothing', async () => {
      const before = await counts();
      const good = newUscc();
      let lettered = newUscc();
      while (!/[A-Z]/.test(lettered.slice(2))) lettered = newUscc();
      const dup = newUscc();
      const file = await xlsx([
        ['企业名称', '统一社会信用代码', '推荐单位'],
        ['好企业', good, null],
        ['校验码错', good.slice(0, 17) + (good[17] === '0' ? '1' : '0'), null],
        ['小写字母', lettered.toLowerCase(), null],
        ['重复一', dup, null],
        ['重复二', dup, null],
        ['已登记', ent.uscc, null],
        ['无此单位', newUscc(), '不存在的协会'],
        [null, null, null],
        ['缺代码', null, null],
      ]);
      const res = await upload('enterprises', file).expect(422);
      expectErrorBody(res.body, 422, 'import_invalid');
      expect(fieldCodes(res.body)).toEqual({
        'rows[3].uscc': 'uscc_check_character',
        'rows[4].uscc': 'uscc_lowercase',
        'rows[6].uscc': 'duplicate_in_file',
        'rows[7].uscc': 'uscc_taken',
        'rows[8].unitName': 'unit_not_found',
        'rows[10].uscc': 'required',
      });
      expect(await counts()).toEqual(before);
    });
  });

  describe('experts', () => {
    it('imports experts and resolves their employers, which decide conflicts of interest', async () => {
      const twinA = await createEnterprise(t, organizer, unit.id, { name: '同名企业' });
      await createEnterprise(t, organizer, unit.id, { name: '同名企业' });
      const file = await xlsx([
        ['姓名', '职称', '专业领域', '联系电话', '工作单位类型', '工作单位名称', '工作单位统一社会信用代码'],
        ['孙二🎓', '高级工程师', '制造、质量管理；服务 , 制造', null, '企业', null, ent.uscc],
        ['钱三', null, null, null, '企业', '天津示例制造有限公司', null],
        ['李四', '教授', '统计', '13900000000', '推荐单位', '滨海新区质量协会', null],
        ['周五', null, null, null, '其他', '南开大学', null],
        ['吴六', null, null, null, 'enterprise', '同名企业', twinA.uscc],
      ]);
      const res = await upload('experts', file).expect(200);
      expect(res.body).toMatchObject({ kind: 'experts', rowCount: 5, created: 5 });
      const got = await Promise.all((res.body.ids as number[]).map(async (id) => (await t.http().get(`/api/experts/${id}`).set(auth(organizer)).expect(200)).body));
      expect(got.map((x) => [x.name, x.employerKind, x.employerEnterpriseId, x.employerUnitId, x.employerName])).toEqual([
        ['孙二🎓', 'enterprise', ent.id, null, null],
        ['钱三', 'enterprise', ent.id, null, null],
        ['李四', 'unit', null, unit.id, null],
        ['周五', 'other', null, null, '南开大学'],
        ['吴六', 'enterprise', twinA.id, null, null],
      ]);
      expect(got[0]!.fields).toEqual(['制造', '质量管理', '服务']);
      expect(got[2]).toMatchObject({ title: '教授', fields: ['统计'], phone: '13900000000' });
    });

    it('refuses unknown or ambiguous employers and missing names, importing nothing', async () => {
      const before = await counts();
      const file = await xlsx([
        ['姓名', '工作单位类型', '工作单位名称', '工作单位统一社会信用代码'],
        ['甲', '推荐单位', '不存在的协会', null],
        ['乙', '企业', null, newUscc()],
        ['丙', '企业', '同名企业', null],
        ['丁', '其他', null, null],
        ['戊', '企业', null, null],
        ['己', '政府', null, null],
        ['庚', '推荐单位', null, null],
      ]);
      const res = await upload('experts', file).expect(422);
      expect(fieldCodes(res.body)).toEqual({
        'rows[2].employerName': 'unit_not_found',
        'rows[3].employerUscc': 'enterprise_not_found',
        'rows[4].employerName': 'employer_ambiguous',
        'rows[5].employerName': 'required',
        'rows[6].employerUscc': 'required',
        'rows[7].employerKind': 'is_in',
        'rows[8].employerName': 'required',
      });
      expect(await counts()).toEqual(before);
    });
  });

  describe('files that cannot be imported', () => {
    it('refuses a missing, unreadable, empty, headless, oversized or too long file with its own code, writing nothing', async () => {
      const before = await counts();
      const noFile = await t.http().post('/api/imports/units').set(auth(organizer)).send({ name: 'x' }).expect(400);
      expectErrorBody(noFile.body, 400, 'import_file_required');
      expect(fieldCodes(noFile.body)).toEqual({ file: 'required' });
      const fieldOnly = await t.http().post('/api/imports/units').set(auth(organizer)).field('note', '没有文件').expect(400);
      expectErrorBody(fieldOnly.body, 400, 'import_file_required');

      // Neither a workbook nor UTF-8 text (CSV is tested below).
      expectErrorBody((await upload('units', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00]), '', organizer, 'units.csv').expect(400)).body, 400, 'import_unreadable');
      // A zip archive that is not a workbook.
      const zipOnly = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
      expectErrorBody((await upload('units', zipOnly).expect(400)).body, 400, 'import_unreadable');

      const headless = await upload('units', await xlsx([['名称', '联系人'], ['甲', '乙']])).expect(422);
      expectErrorBody(headless.body, 422, 'import_missing_columns');
      expect(fieldCodes(headless.body)).toEqual({ 'columns.name': 'missing_column', 'columns.kind': 'missing_column' });
      expectErrorBody((await upload('units', await xlsx([['单位名称', '单位类型'], [null, null]])).expect(422)).body, 422, 'import_empty');

      const many: Cell[][] = [['单位名称', '单位类型']];
      for (let i = 1; i <= 2001; i++) many.push([`批量单位${i}`, '其他']);
      expectErrorBody((await upload('units', await xlsx(many)).expect(422)).body, 422, 'import_too_many_rows');

      const big = Buffer.concat([await xlsx([['单位名称', '单位类型']]), Buffer.alloc(UPLOAD_LIMIT + 1000)]);
      expectErrorBody((await upload('units', big).expect(413)).body, 413, 'payload_too_large');

      const kind = await upload('teams', await xlsx([['x']])).expect(400);
      expect(fieldCodes(kind.body)).toEqual({ kind: 'is_in' });
      expect(fieldCodes((await upload('units', await xlsx([['x']]), '?dryRun=yes').expect(400)).body)).toEqual({ dryRun: 'is_in' });
      expect(await counts()).toEqual(before);
    });

    it('imports the 2000 rows allowed in one file', async () => {
      const rows: Cell[][] = [['单位名称', '单位类型']];
      for (let i = 1; i <= 2000; i++) rows.push([`批量单位${i}`, '其他']);
      const before = await count('units');
      const res = await upload('units', await xlsx(rows)).expect(200);
      expect(res.body).toMatchObject({ rowCount: 2000, created: 2000 });
      expect(await count('units')).toBe(before + 2000);
    }, 120_000);
  });

  describe('CSV files', () => {
    it('imports units from UTF-8 CSV with a BOM, CRLF, Chinese headers and RFC 4180 quoting', async () => {
      const text =
        '单位名称,类别,联系人,电话\r\n' +
        '"天津市,滨海新区""质量""🏭协会",行业协会,"王五\r\n李四 😀",022-1234567\r\n' +
        '\r\n' +
        '新港街道,街道乡镇,,\r\n' +
        ' 开发区监管局 ,dev_zone_regulator,"",""\r\n';
      const res = await upload('units', csv(text, true), '', organizer, '推荐单位.csv').expect(200);
      expect(res.body).toEqual({ kind: 'units', dryRun: false, rowCount: 3, created: 3, ids: [expect.any(Number), expect.any(Number), expect.any(Number)], ignoredColumns: [] });
      const [a, b, c] = res.body.ids as number[];
      expect((await t.http().get(`/api/units/${a}`).set(auth(organizer)).expect(200)).body).toMatchObject({
        name: '天津市,滨海新区"质量"🏭协会', kind: 'industry_association', contactPerson: '王五\r\n李四 😀', phone: '022-1234567',
      });
      expect((await t.http().get(`/api/units/${b}`).set(auth(organizer)).expect(200)).body).toMatchObject({ name: '新港街道', kind: 'street_town', contactPerson: null, phone: null });
      expect((await t.http().get(`/api/units/${c}`).set(auth(organizer)).expect(200)).body).toMatchObject({ name: '开发区监管局', kind: 'dev_zone_regulator' });
      const audit = await t.http().get('/api/audit?action=organisations.import&targetId=units').set(auth(organizer)).expect(200);
      expect(audit.body.items[0].after).toEqual({ kind: 'units', fileName: '推荐单位.csv', rowCount: 3, ids: res.body.ids });
    });

    it('imports enterprises from CSV without BOM and with LF line ends, the unit named by its name', async () => {
      const [u1, u2] = [newUscc(), newUscc()];
      const text =
        '企业名称,统一社会信用代码,行业,地址,联系人,电话,推荐单位\n' +
        `"津沽🚀装备制造有限公司",${u1},制造业,"滨海新区黄海路 8 号,2 号楼",刘一,13800000001,滨海新区质量协会\n` +
        `海河物流有限公司,${u2},,,,,\n`;
      const res = await upload('enterprises', csv(text), '', organizer, 'enterprises.csv').expect(200);
      expect(res.body).toMatchObject({ kind: 'enterprises', rowCount: 2, created: 2, ignoredColumns: [] });
      const [a, b] = res.body.ids as number[];
      expect((await t.http().get(`/api/enterprises/${a}`).set(auth(organizer)).expect(200)).body).toMatchObject({
        name: '津沽🚀装备制造有限公司', uscc: u1, industry: '制造业', address: '滨海新区黄海路 8 号,2 号楼', phone: '13800000001', defaultUnitId: unit.id, status: 'approved',
      });
      expect((await t.http().get(`/api/enterprises/${b}`).set(auth(organizer)).expect(200)).body).toMatchObject({ uscc: u2, industry: null, defaultUnitId: null });
    });

    it('imports experts from CSV, fields of expertise separated by 、 or commas inside quotes', async () => {
      const text =
        '\ufeff姓名,工作单位类型,工作单位,工作单位统一社会信用代码,职称,专业领域,电话\r\n' +
        `赵九🎓,企业,,${ent.uscc},高级工程师,"制造,质量管理",13900000009\r\n` +
        '钱十,推荐单位,滨海新区质量协会,,,统计、六西格玛,\r\n' +
        '孙十一,其他,"南开大学 ""质量""研究所",,教授,,\r\n';
      // The BOM is written into the text here (as some editors do) rather than as bytes: the same thing.
      const res = await upload('experts', csv(text), '', organizer, 'experts.csv').expect(200);
      expect(res.body).toMatchObject({ kind: 'experts', rowCount: 3, created: 3 });
      const got = await Promise.all((res.body.ids as number[]).map(async (id) => (await t.http().get(`/api/experts/${id}`).set(auth(organizer)).expect(200)).body));
      expect(got.map((x) => [x.name, x.employerKind, x.employerEnterpriseId, x.employerUnitId, x.employerName, x.title, x.fields, x.phone])).toEqual([
        ['赵九🎓', 'enterprise', ent.id, null, null, '高级工程师', ['制造', '质量管理'], '13900000009'],
        ['钱十', 'unit', null, unit.id, null, null, ['统计', '六西格玛'], null],
        ['孙十一', 'other', null, null, '南开大学 "质量"研究所', '教授', [], null],
      ]);
    });

    it('lists every bad row of a CSV by its row number (records, not lines) and imports nothing', async () => {
      const before = await counts();
      const dup = newUscc();
      const text =
        '企业名称,统一社会信用代码,推荐单位\r\n' +
        `"好企业\r\n（两行名称）",${newUscc()},\r\n` +
        `十九位,${newUscc()}0,\r\n` +
        `重复一,${dup},\r\n` +
        `重复二,${dup},\r\n` +
        `已登记,${ent.uscc},\r\n` +
        `无此单位,${newUscc()},不存在的协会\r\n` +
        `十七位,${newUscc().slice(0, 17)},\r\n`;
      const res = await upload('enterprises', csv(text, true), '', organizer, 'bad.csv').expect(422);
      expectErrorBody(res.body, 422, 'import_invalid');
      expect(fieldCodes(res.body)).toEqual({
        'rows[3].uscc': 'uscc_length',
        'rows[5].uscc': 'duplicate_in_file',
        'rows[6].uscc': 'uscc_taken',
        'rows[7].unitName': 'unit_not_found',
        'rows[8].uscc': 'uscc_length',
      });
      expect(res.body.details).toEqual({ rowCount: 7, invalidRows: 5, errorCount: 5, truncated: false });
      expect((res.body.errors as Body[])[0]!.message).toMatch(/^第 3 行「统一社会信用代码」：/);
      // A dry run reports the same, and nothing is written either way.
      expect(fieldCodes((await upload('enterprises', csv(text, true), '?dryRun=true', organizer, 'bad.csv').expect(422)).body)).toEqual(fieldCodes(res.body));
      expect(await counts()).toEqual(before);
    });

    it('refuses bad USCCs in CSV rows: wrong check character, lower case, 17 characters', async () => {
      const before = await counts();
      const good = newUscc();
      let lettered = newUscc();
      while (!/[A-Z]/.test(lettered.slice(2))) lettered = newUscc();
      const text = [
        'name,uscc',
        `校验码错,${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`,
        `小写,${lettered.toLowerCase()}`,
        `十七位,${good.slice(0, 17)}`,
      ].join('\n');
      const res = await upload('enterprises', csv(text), '', organizer, 'x.csv').expect(422);
      expect(fieldCodes(res.body)).toEqual({ 'rows[2].uscc': 'uscc_check_character', 'rows[3].uscc': 'uscc_lowercase', 'rows[4].uscc': 'uscc_length' });
      expect(await counts()).toEqual(before);
    });

    it('tells the format by content, not by the file name', async () => {
      const asXlsx = await upload('units', csv('name,kind\n内容为CSV的单位,other\n'), '', organizer, 'looks-like.xlsx').expect(200);
      expect(asXlsx.body).toMatchObject({ created: 1 });
      const asCsv = await upload('units', await xlsx([['单位名称', '单位类型'], ['内容为xlsx的单位', '其他']]), '', organizer, 'looks-like.csv').expect(200);
      expect(asCsv.body).toMatchObject({ created: 1 });
      const dry = await upload('units', csv('单位名称,单位类型\n试算CSV单位,其他\n'), '?dryRun=true', organizer, 'dry.csv').expect(200);
      expect(dry.body).toEqual({ kind: 'units', dryRun: true, rowCount: 1, created: 0, ids: [], ignoredColumns: [] });
    });

    it('refuses malformed CSV, other encodings, binaries, empty and headless files with 4xx codes, writing nothing', async () => {
      const before = await counts();
      const open = await upload('units', csv('单位名称,单位类型\n"未闭合,其他\n乙,其他\n'), '', organizer, 'open.csv').expect(400);
      expectErrorBody(open.body, 400, 'import_unreadable');
      expect(fieldCodes(open.body)).toEqual({ file: 'csv_unterminated_quote' });
      expect(open.body.details).toEqual({ line: 2, row: 2 });
      const stray = await upload('units', csv('单位名称,单位类型\n甲,其他\n乙"丙,其他\n'), '', organizer, 'stray.csv').expect(400);
      expect(fieldCodes(stray.body)).toEqual({ file: 'csv_stray_quote' });
      expect(stray.body.details).toEqual({ line: 3, row: 3 });

      // "单位名称,单位类型\n甲,其他" saved as GBK (what Excel on Chinese Windows writes as plain "CSV").
      const gbk = Buffer.from('b5a5cebbc3fbb3c62cb5a5cebbc0e0d0cd0abcd72cc6e4cbfb0a', 'hex');
      const gbkRes = await upload('units', gbk, '', organizer, 'gbk.csv').expect(400);
      expectErrorBody(gbkRes.body, 400, 'import_unreadable');
      expect(fieldCodes(gbkRes.body)).toEqual({ file: 'csv_not_utf8' });
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('单位名称,单位类型\r\n甲,其他\r\n', 'utf16le')]);
      expect(fieldCodes((await upload('units', utf16, '', organizer, 'utf16.csv').expect(400)).body)).toEqual({ file: 'csv_not_utf8' });

      // A real executable (the running node binary's first 64 KiB), named as CSV and as xlsx.
      const exe = readFileSync(process.execPath).subarray(0, 65536);
      for (const name of ['names.csv', 'names.xlsx', 'setup.exe']) {
        const res = await upload('units', exe, '', organizer, name).expect(400);
        expectErrorBody(res.body, 400, 'import_unreadable');
      }
      const pe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64), Buffer.from('This program cannot be run in DOS mode.')]);
      expectErrorBody((await upload('units', pe, '', organizer, 'tool.csv').expect(400)).body, 400, 'import_unreadable');

      const empty = await upload('units', Buffer.alloc(0), '', organizer, 'empty.csv').expect(400);
      expectErrorBody(empty.body, 400, 'import_file_empty');
      expect(fieldCodes(empty.body)).toEqual({ file: 'import_file_empty' });
      for (const blank of ['\ufeff', '\r\n\r\n', ' , \n']) {
        const res = await upload('units', csv(blank), '', organizer, 'blank.csv').expect(400);
        expectErrorBody(res.body, 400, 'import_unreadable');
        expect(fieldCodes(res.body)).toEqual({ file: 'csv_no_header' });
      }
      expectErrorBody((await upload('units', csv('单位名称,单位类型\r\n'), '', organizer, 'header.csv').expect(422)).body, 422, 'import_empty');
      expectErrorBody((await upload('units', csv('单位名称,单位类型\r\n,\r\n\r\n'), '', organizer, 'header.csv').expect(422)).body, 422, 'import_empty');
      const headless = await upload('units', csv('这是一个文本文件\n不是名单\n'), '', organizer, 'readme.csv').expect(422);
      expectErrorBody(headless.body, 422, 'import_missing_columns');
      expect(fieldCodes(headless.body)).toEqual({ 'columns.name': 'missing_column', 'columns.kind': 'missing_column' });
      expect(await counts()).toEqual(before);
    });

    it('refuses a CSV of more than 2000 rows', async () => {
      const before = await counts();
      const lines = ['单位名称,单位类型'];
      for (let i = 1; i <= 2001; i++) lines.push(`CSV批量单位${i},其他`);
      expectErrorBody((await upload('units', csv(lines.join('\r\n')), '', organizer, 'many.csv').expect(422)).body, 422, 'import_too_many_rows');
      expect(await counts()).toEqual(before);
    });
  });

  it('refuses imports and templates to every role but organizers, and to anonymous callers', async () => {
    const before = await counts();
    const file = await xlsx([['单位名称', '单位类型'], ['越权单位', '其他']]);
    const csvFile = csv('单位名称,单位类型\r\n越权单位,其他\r\n', true);
    for (const token of [admin, recommender.token, enterprise.token, expert.token]) {
      for (const kind of ['units', 'enterprises', 'experts']) {
        const res = await upload(kind, file, '', token);
        expect(res.status).toBe(403);
        expectErrorBody(res.body, 403, 'forbidden');
        const viaCsv = await upload(kind, csvFile, '', token, 'units.csv');
        expect(viaCsv.status).toBe(403);
        expectErrorBody(viaCsv.body, 403, 'forbidden');
        const tpl = await t.http().get(`/api/imports/${kind}/template`).set(auth(token)).expect(403);
        expectErrorBody(tpl.body, 403, 'forbidden');
      }
    }
    expectErrorBody((await t.http().post('/api/imports/units').attach('file', file, 'a.xlsx').expect(401)).body, 401, 'unauthenticated');
    expectErrorBody((await t.http().post('/api/imports/units').attach('file', csvFile, 'a.csv').expect(401)).body, 401, 'unauthenticated');
    expectErrorBody((await t.http().get('/api/imports/units/template').expect(401)).body, 401, 'unauthenticated');
    expect(await counts()).toEqual(before);
  });

  it('the audit chain verifies after the imports', async () => {
    expect((await t.http().post('/api/audit/verify').set(auth(organizer)).expect(200)).body).toMatchObject({ ok: true, firstBroken: null });
  });
});

describe(`the 5 MB limit of an import file (${TEST_DB})`, () => {
  // The general upload limit (20 MB by default) is larger: the import route sets its own.
  let t: TestApp;
  let organizer: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN.username, ADMIN.password);
    organizer = (await createUser(t, admin, { username: 'organizer-1', role: 'organizer' })).token;
  });
  afterAll(() => t.close());

  it('reads a file just under 5 MB and refuses one over it with 413', async () => {
    const FIVE_MB = 5 * 1024 * 1024;
    const header = '单位名称,单位类型\n';
    const row = (i: number) => `限额测试单位${String(i).padStart(8, '0')},其他\n`;
    // Every row has the same length in bytes.
    const rowCount = Math.floor((FIVE_MB - 1024 - Buffer.byteLength(header)) / Buffer.byteLength(row(1)));
    const under = Buffer.from(header + Array.from({ length: rowCount }, (_, i) => row(i + 1)).join(''), 'utf8');
    expect(under.length).toBeLessThan(FIVE_MB);
    // Read and checked (too many rows), not refused for its size.
    const read = await t.http().post('/api/imports/units').set(auth(organizer)).attach('file', under, 'big.csv').expect(422);
    expectErrorBody(read.body, 422, 'import_too_many_rows');
    const over = Buffer.concat([under, Buffer.from(row(0).repeat(Math.ceil((FIVE_MB - under.length) / row(0).length) + 1), 'utf8')]);
    expect(over.length).toBeGreaterThan(FIVE_MB);
    const refused = await t.http().post('/api/imports/units').set(auth(organizer)).attach('file', over, 'big.csv').expect(413);
    expectErrorBody(refused.body, 413, 'payload_too_large');
    expect((await t.http().get('/api/units?pageSize=1').set(auth(organizer)).expect(200)).body.total).toBe(0);
  }, 60_000);
});
