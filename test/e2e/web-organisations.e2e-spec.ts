// Organisations in Chromium (1024×768): the organizer imports 20 experts from an xlsx (one bad row
// shown in the error table and nothing imported; the fixed file imports all 20), approves a
// self-registered enterprise, issues its account and prints the credentials sheet (A4, print media,
// checked with pdfinfo/pdftotext); a recommender approves a pending enterprise of its unit in its own
// screen and is told the same-person rule. Every UI action is checked against the API.
// Screenshots and the PDF go to test-output/.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createIntakeWorld, type IntakeWorld } from '../factories/entries.js';
import { newUscc, registerEnterprise } from '../factories/organisations.js';
import { describeBrowser, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { createTestApp, login, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const OUT = join(process.cwd(), 'test-output');
const AXE = readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** The experts' import sheet: header row and 20 experts; `bad` rows get a phone the API refuses. */
async function expertsXlsx(bad: number[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('评审专家');
  ws.addRow(['姓名', '职称', '专业领域', '联系电话', '工作单位类型', '工作单位名称']);
  for (let i = 1; i <= 20; i++) {
    ws.addRow([`导入专家${String(i).padStart(2, '0')}`, '高级工程师', '质量管理、六西格玛', bad.includes(i) ? '电话号码不详' : `022-2345${String(i).padStart(4, '0')}`, '其他', '天津市质量协会']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describeBrowser(`organisations: imports, approvals, accounts and the credentials sheet (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let w: IntakeWorld;

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    w = await createIntakeWorld(t);
    mkdirSync(OUT, { recursive: true });
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const withToken = (token: string, hash: string): Promise<Tab> => b.signedIn(token, hash);

  /** axe-core, run in the page (evaluate is not subject to the page's CSP): serious or critical violations. */
  async function axeViolations(tab: Tab): Promise<string[]> {
    await tab.page.evaluate(AXE);
    return tab.page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  }

  const experts = async () => (await t.http().get('/api/experts?pageSize=200').set(auth(w.organizer)).expect(200)).body as { total: number; items: { name: string; phone: string }[] };
  const enterprise = async (id: number) => (await t.http().get(`/api/enterprises/${id}`).set(auth(w.organizer)).expect(200)).body as { status: string };

  it('imports 20 experts from xlsx: the template downloads, a bad row is shown and nothing is imported; the fixed file imports all 20', async () => {
    const before = (await experts()).total;
    const tab = await withToken(w.organizer, '#/organizer/orgs/import');
    const { page } = tab;
    tab.expected = [/status of 422/];
    await page.locator('#import-file').waitFor();
    expect(await page.locator('nav#nav a[aria-current="page"]').textContent()).toBe('组织管理');

    const [template] = await Promise.all([page.waitForEvent('download'), page.locator('#import-template').click()]);
    expect(template.suggestedFilename()).toBe('评审专家导入模板.xlsx');

    await page.locator('#import-file').setInputFiles({ name: '专家名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await expertsXlsx([8]) });
    await page.locator('#import-check').click();
    const errorRow = page.locator('#import-errors tbody tr');
    await errorRow.first().waitFor();
    expect(await errorRow.count()).toBe(1);
    // Row 8 of the experts is spreadsheet row 9 (the header is row 1).
    expect(await errorRow.first().getAttribute('data-row')).toBe('9');
    const cells = await errorRow.first().locator('td').allTextContents();
    expect(cells.slice(0, 2)).toEqual(['第 9 行', '联系电话']);
    expect(cells[2]).not.toBe('');
    expect(await page.locator('#import-result [role="alert"]').textContent()).toContain('未导入任何数据');
    expect(await page.locator('#import-confirm').isDisabled()).toBe(true);
    expect((await experts()).total).toBe(before);
    expect(await axeViolations(tab)).toEqual([]);
    await tab.shot('orgs-import-errors');

    await page.locator('#import-file').setInputFiles({ name: '专家名单-已改.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await expertsXlsx() });
    await page.locator('#import-check').click();
    await page.locator('#import-preview').waitFor();
    expect(await page.locator('#import-preview').textContent()).toContain('共 20 行');
    expect((await experts()).total).toBe(before); // the check wrote nothing
    await page.locator('#import-confirm').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '确认导入' }).click();
    await page.waitForURL(/#\/organizer\/orgs\/experts$/);
    await page.locator('#org-list').waitFor();
    expect(await page.locator('.notice').first().textContent()).toContain('已导入 20 条评审专家');

    const after = await experts();
    expect(after.total).toBe(before + 20);
    const imported = after.items.filter((x) => x.name.startsWith('导入专家'));
    expect(imported).toHaveLength(20);
    expect(imported.find((x) => x.name === '导入专家08')?.phone).toBe('022-23450008');
    // Listed with the employer, searchable by name.
    await page.locator('#org-q').fill('导入专家');
    await page.locator('#org-search button[type="submit"]').click();
    await page.locator('#org-list-title', { hasText: '评审专家（20）' }).waitFor();
    expect(await page.locator('#org-list tbody tr').count()).toBe(20);
    expect(await page.locator('#org-list tbody tr').first().textContent()).toContain('天津市质量协会');
    expect(await axeViolations(tab)).toEqual([]);
    await tab.shot('orgs-experts');

    // Edit one: PATCH /experts/:id with the new title (the employer sent whole, as the API wants).
    const first = page.locator('#org-list tbody tr').first();
    const expertId = Number(await first.getAttribute('data-id'));
    await first.locator('[data-action="edit"]').click();
    await page.locator('#edit-form #f-title').fill('正高级工程师');
    await page.locator('#edit-form button[type="submit"]').click();
    await page.locator('.notice', { hasText: '已保存' }).waitFor();
    const edited = (await t.http().get(`/api/experts/${expertId}`).set(auth(w.organizer)).expect(200)).body as Record<string, unknown>;
    expect(edited).toMatchObject({ title: '正高级工程师', employerKind: 'other', employerName: '天津市质量协会', fields: ['质量管理', '六西格玛'] });
    tab.clean();
    await tab.close();
  });

  it('approves a self-registered enterprise, issues its account and prints the credentials sheet on A4', async () => {
    const reg = await t.http().post('/api/public/enterprises/register').send({
      enterprise: { name: '海河精密制造有限公司', uscc: newUscc(), industry: '制造业', contactPerson: '李工', phone: '022-88886666', defaultUnitId: w.a.unit.id },
      account: { username: 'haihe-self', displayName: '海河精密 李工', password: 'Qc-评审-2026-北辰!' },
    });
    expect(reg.status).toBe(202);
    expect(reg.body).toMatchObject({ status: 'received' });
    const list = (await t.http().get('/api/enterprises?status=pending&q=海河精密').set(auth(w.organizer)).expect(200)).body as { items: { id: number; uscc: string }[] };
    expect(list.items).toHaveLength(1);
    const id = list.items[0]!.id;

    const tab = await withToken(w.organizer, '#/organizer/orgs/enterprises');
    const { page } = tab;
    await page.locator('#org-status').waitFor();
    // The USCC is checked as typed: a wrong check character is named before anything is sent.
    const uscc = list.items[0]!.uscc;
    await page.locator('#create-form #f-uscc').fill('91120116ma');
    expect(await page.locator('#f-uscc-live').textContent()).toBe('统一社会信用代码中的字母应为大写（第 9 位）');
    await page.locator('#create-form #f-uscc').fill('9112011');
    expect(await page.locator('#f-uscc-live').isHidden()).toBe(true);
    await page.locator('#create-form #f-uscc').fill(uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0'));
    expect(await page.locator('#f-uscc-live').textContent()).toBe('统一社会信用代码校验码（第 18 位）不正确');
    await page.locator('#create-form #f-uscc').fill(uscc);
    expect(await page.locator('#f-uscc-live').isHidden()).toBe(true);

    await page.locator('#org-status').selectOption('pending');
    await page.locator('#org-search button[type="submit"]').click();
    const row = page.locator(`#org-list tr[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('pending');
    await tab.shot('orgs-enterprises-pending');
    await row.locator('[data-action="approve"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '审核通过' }).click();
    await page.locator('.notice', { hasText: '已审核通过「海河精密制造有限公司」' }).waitFor();
    expect((await enterprise(id)).status).toBe('approved');

    await page.locator('#org-status').selectOption('approved');
    await page.locator('#org-search button[type="submit"]').click();
    await page.locator(`#org-list tr[data-id="${id}"][data-status="approved"] [data-action="account"]`).click();
    await page.locator('#account-form #f-username').fill('haihe-print');
    const password = await page.locator('#account-form #f-password').inputValue();
    expect(password).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    await page.locator('#account-form button[type="submit"]').click();
    await page.locator('#open-credentials').click();
    await page.waitForURL(/#\/organizer\/orgs\/credentials$/);
    const cred = page.locator('#credentials tr[data-username="haihe-print"] td');
    await cred.first().waitFor();
    expect(await cred.allTextContents()).toEqual(['1', '企业', '海河精密制造有限公司', 'haihe-print', password, '']);
    // The password shown is the one the account has.
    const token = await login(t, 'haihe-print', password);
    const me = (await t.http().get('/api/auth/me').set(auth(token)).expect(200)).body as { role: string; enterpriseId: number };
    expect(me).toMatchObject({ role: 'enterprise', enterpriseId: id });
    expect(await axeViolations(tab)).toEqual([]);
    await tab.shot('orgs-credentials');

    await page.emulateMedia({ media: 'print' });
    await tab.shot('orgs-credentials-print');
    const pdf = join(OUT, `credentials-${TEST_DB}.pdf`);
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('haihe-print');
    expect(text).toContain(password);
    for (const chrome of ['打印凭据单', '退出', '组织管理', '评比活动', '审计日志', '批量导入', '开通账号']) expect(text).not.toContain(chrome);
    await page.emulateMedia({ media: 'screen' });

    // Shown once: leaving the sheet forgets the password.
    await page.goto(`${b.base}/#/organizer/orgs/units`);
    await page.locator('#org-list, #create-form').first().waitFor();
    await page.goto(`${b.base}/#/organizer/orgs/credentials`);
    await page.locator('.credentials-sheet').waitFor();
    expect(await page.locator('.credentials-sheet').textContent()).not.toContain(password);
    tab.clean();
    await tab.close();
  });

  it('creates and edits a recommending unit and issues its recommender login', async () => {
    const tab = await withToken(w.organizer, '#/organizer/orgs/units');
    const { page } = tab;
    tab.expected = [/status of 400/];
    await page.locator('#create-form').waitFor();
    // The API's field errors show next to the fields.
    await page.locator('#create-form button[type="submit"]').click();
    await page.locator('#create-form .field-error').first().waitFor();
    expect(await page.locator('#create-form #f-kind').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#create-form #f-name').fill('北辰区工业和信息化局');
    await page.locator('#create-form #f-kind').selectOption('dev_zone_regulator');
    await page.locator('#create-form #f-contactPerson').fill('王科长');
    await page.locator('#create-form button[type="submit"]').click();
    await page.locator('.notice', { hasText: '已创建推荐单位「北辰区工业和信息化局」' }).waitFor();
    const units = (await t.http().get('/api/units?q=北辰区工业').set(auth(w.organizer)).expect(200)).body as { items: { id: number; kind: string; contactPerson: string }[] };
    expect(units.items).toEqual([expect.objectContaining({ kind: 'dev_zone_regulator', contactPerson: '王科长' })]);
    const unitId = units.items[0]!.id;

    const row = page.locator(`#org-list tr[data-id="${unitId}"]`);
    await row.locator('[data-action="edit"]').click();
    await page.locator('#edit-form #f-phone').fill('022-26391234');
    await page.locator('#edit-form button[type="submit"]').click();
    await page.locator('.notice', { hasText: '已保存「北辰区工业和信息化局」' }).waitFor();
    expect((await t.http().get(`/api/units/${unitId}`).set(auth(w.organizer)).expect(200)).body).toMatchObject({ phone: '022-26391234', contactPerson: '王科长' });

    await page.locator(`#org-list tr[data-id="${unitId}"] [data-action="account"]`).click();
    await page.locator('#account-form #f-username').fill('beichen-gxj');
    const password = await page.locator('#account-form #f-password').inputValue();
    await page.locator('#account-form button[type="submit"]').click();
    await page.locator('#open-credentials').click();
    await page.locator('#credentials tr[data-username="beichen-gxj"]').waitFor();
    expect(await page.locator('#credentials tr[data-username="beichen-gxj"] td').allTextContents()).toEqual(['1', '推荐单位', '北辰区工业和信息化局', 'beichen-gxj', password, '']);
    const me = (await t.http().get('/api/auth/me').set(auth(await login(t, 'beichen-gxj', password))).expect(200)).body as Record<string, unknown>;
    expect(me).toMatchObject({ role: 'recommender', unitId });
    tab.clean();
    await tab.close();
  });

  it('a recommender approves a pending enterprise of its unit in its own screen, and is told it cannot approve its own registration', async () => {
    const self = await registerEnterprise(t, w.a.unit.id, { name: '北辰检测技术有限公司' });
    const other = await registerEnterprise(t, w.b.unit.id, { name: '别的单位的企业有限公司' });
    const own = await t.http().post('/api/enterprises').set(auth(w.a.recommender.token)).send({ name: '本单位登记企业有限公司', uscc: newUscc(), defaultUnitId: w.a.unit.id });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ status: 'pending' });

    const tab = await withToken(w.a.recommender.token, '#/unit');
    const { page } = tab;
    tab.expected = [/status of 403/];
    await page.locator('#pending-enterprises').waitFor();
    expect(await page.locator(`#pending-enterprises tr[data-enterprise="${other.enterprise.id}"]`).count()).toBe(0);
    expect(await page.locator('#pending-enterprises tbody tr').count()).toBe(2);
    await tab.shot('unit-pending-enterprises');

    await page.locator(`#pending-enterprises tr[data-enterprise="${own.body.id}"] [data-action="approve"]`).click();
    let dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '审核通过' }).click();
    await page.locator('#unit-summary [role="alert"]').waitFor();
    expect(await page.locator('#unit-summary').textContent()).toBe('登记人不能审核通过自己登记的企业，请由本单位其他人员或组委会审核');
    expect((await enterprise(own.body.id as number)).status).toBe('pending');

    await page.locator(`#pending-enterprises tr[data-enterprise="${self.enterprise.id}"] [data-action="approve"]`).click();
    dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '审核通过' }).click();
    await page.locator('.notice', { hasText: '已审核通过「北辰检测技术有限公司」' }).waitFor();
    expect((await enterprise(self.enterprise.id)).status).toBe('approved');
    expect((await enterprise(other.enterprise.id)).status).toBe('pending');
    expect(await page.locator('#pending-enterprises tbody tr').count()).toBe(1);
    expect(await axeViolations(tab)).toEqual([]);
    tab.clean();
    await tab.close();
  });
});
