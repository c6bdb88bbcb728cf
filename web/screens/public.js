// The public results board (no login): award lists by level with counts, the excellent
// recommending units, the status, and during the notice period the objection form.
import { api, get, getPublic } from '../api.js';
import { h, LEVELS, mount, notice, PHASES, setPrintHead, showErrors, when } from '../ui.js';
import { barChart, figure, levelChart } from './report-charts.js';
/** @typedef {import('../api.js').Schemas} Schemas */

export async function publicScreen(contestId) {
  mount(h('h1', null, '评审结果公示'), h('p.muted', null, '正在加载…'));
  if (!contestId) {
    /** @type {Schemas['PublicContestPage']} */
    let list;
    try { list = await get('/public/contests?pageSize=50'); } catch (err) { mount(h('h1', null, '评审结果公示'), notice(err.message, 'error')); return; }
    if (list.items.length === 1) { contestId = list.items[0].id; history.replaceState(null, '', '#/public/' + contestId); }
    else {
      mount(h('h1', null, '评审结果公示'),
        list.items.length ? h('ul.card.list', null, list.items.map((c) => h('li', null,
          h('a', { href: '#/public/' + c.id }, c.name), ` · ${PHASES[c.phase] || c.phase}`))) : notice('暂无公示或已发布的评审结果。'),
        registerLink());
      return;
    }
  }
  /** @type {Schemas['AwardListResponse']} */
  let r;
  try { r = await get(`/public/contests/${contestId}/results`); } catch (err) { mount(h('h1', null, '评审结果公示'), notice(err.message, 'error')); return; }

  const levels = Object.keys(LEVELS).filter((l) => r.levels[l]);
  const inNotice = r.status === 'notice';
  const status = inNotice
    ? h('p.badge.warn', { id: 'result-status' }, `公示中 · 公示截止 ${when(r.noticeEndsAt)}`)
    : h('p.badge.ok', { id: 'result-status' }, `已发布 · ${when(r.publishedAt)}`);
  const counts = h('ul.counts', { id: 'level-counts', 'aria-label': '各等级获奖数量' },
    levels.map((l) => h('li', { 'data-level': l }, h('span', null, LEVELS[l]), h('strong', null, String(r.levels[l].length)), ' 项')));
  const anyScore = levels.some((l) => r.levels[l].some((e) => e.score !== null && e.score !== undefined));
  const sections = levels.map((l) => h('section.card', { 'aria-labelledby': 'level-' + l },
    h('h2', { id: 'level-' + l }, `${LEVELS[l]}（${r.levels[l].length} 项）`),
    h('table', null,
      h('thead', null, h('tr', null, ...['序号', '成果名称', '企业', '小组', '推荐单位', '分组', ...(anyScore ? ['得分'] : [])].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, r.levels[l].map((e) => h('tr', null,
        h('td.num', null, String(e.seq)), h('td', null, e.title), h('td', null, e.enterpriseName), h('td', null, e.teamName),
        h('td', null, e.unitName), h('td', null, e.trackName ?? ''), ...(anyScore ? [h('td.num', null, e.score ?? '')] : [])))))));
  const units = r.excellentUnits?.length
    ? h('section.card', { 'aria-labelledby': 'excellent-units' }, h('h2', { id: 'excellent-units' }, `优秀推荐单位（${r.excellentUnits.length} 家）`),
      h('ol', null, r.excellentUnits.map((u) => h('li', null, `${u.unitName}（获奖成果 ${u.awardedEntries} 项）`))))
    : null;

  // The list's own SHA-256, as recorded when it was frozen: anyone can recompute it from the downloaded
  // list (README, "Checking a public list") and compare it with the code printed on the notice.
  const listHash = r.listHash ? h('p.muted', { id: 'list-hash' }, '结果校验码（SHA-256）：', h('code', { title: `第 ${r.version} 版结果` }, r.listHash)) : null;

  // Once published: the public part of the year's statistics (participation, entries and awards by unit and type).
  let stats = null;
  if (!inNotice) {
    try { stats = statisticsSection(await getPublic(`/contests/${contestId}/statistics`)); } catch { stats = null; }
  }

  setPrintHead(`${r.contest.name} · 获奖名单（${inNotice ? '公示' : '发布'}·第${r.version}版）`);
  const print = h('div.actions.no-print', null, h('button', { type: 'button', id: 'print-award-list', onclick: () => window.print() }, '打印获奖名单'));
  mount(h('h1', null, r.contest.name), r.contest.theme ? h('p.muted', null, r.contest.theme) : null,
    status, print, counts, units, ...sections, stats, listHash, inNotice ? objectionForm(r) : null, registerLink());
}

function statisticsSection(st) {
  const p = st.participation;
  const levelCells = (x) => [x.label, x.first, x.second, x.third, x.excellence, x.total];
  return h('section.card', { id: 'public-statistics', 'aria-labelledby': 'public-statistics-h' },
    h('h2', { id: 'public-statistics-h' }, '年度统计'),
    st.summarySentence ? h('p', { id: 'public-summary-sentence' }, `${st.summarySentence}。`) : null,
    h('p', { id: 'public-participation' }, `${p.units} 家推荐单位推荐的 ${p.enterprises} 家企业申报质量攻关成果 ${p.entries} 项，小组成员 ${p.teamMembers} 人次。`),
    h('div.rs-charts', null,
      figure('申报成果：按推荐单位', barChart('public-chart-units', '申报成果按推荐单位', st.entriesByUnit), ['推荐单位', '成果（项）'], st.entriesByUnit.map((x) => [x.label, x.count])),
      figure('获奖：等级 × 成果类型', levelChart('public-chart-award-types', '获奖等级按成果类型', st.awards.byType), ['成果类型', '一等奖', '二等奖', '三等奖', '优秀奖', '合计'], st.awards.byType.map(levelCells))));
}

/**
 * A phone number (mobile, landline with area code and extension, +86…: 7–20 digits among spaces,
 * hyphens and brackets) or an e-mail address.
 */
export function isContact(value) {
  const v = value.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return true;
  if (!/^\+?[0-9][0-9 ()\-转]*$/.test(v) && !/^\([0-9]+\)[0-9 \-转]*$/.test(v)) return false;
  const digits = v.replace(/[^0-9]/g, '').length;
  return digits >= 7 && digits <= 20;
}

/** Where an enterprise without an account starts. */
const registerLink = () => h('p.muted', { id: 'public-register' }, '企业参加评比请先', h('a', { href: '#/register' }, '注册企业账号'), '。');

/** @param {Schemas['AwardListResponse']} r */
function objectionForm(r) {
  const entries = Object.keys(LEVELS).flatMap((l) => (r.levels[l] || []).map((e) => ({ ...e, level: l })));
  const summary = h('div', { 'aria-live': 'assertive' });
  const field = (id, label, control, hint) => h('div.field', null, h('label', { for: id }, label), hint ? h('p.desc', { id: id + '-hint' }, hint) : null, control);
  const entry = h('select', { id: 'obj-entry', name: 'entryId', required: true, 'data-field': 'entryId' },
    h('option', { value: '' }, '请选择成果'),
    entries.map((e) => h('option', { value: String(e.entryId) }, `${LEVELS[e.level]} · ${e.title}（${e.enterpriseName}）`)));
  const name = h('input', { id: 'obj-name', name: 'name', maxlength: 100, required: true, 'data-field': 'name' });
  const contact = h('input', { id: 'obj-contact', name: 'contact', maxlength: 100, required: true, 'data-field': 'contact', 'aria-describedby': 'obj-contact-hint', 'data-describedby': 'obj-contact-hint' });
  const content = h('textarea', { id: 'obj-content', name: 'content', rows: 5, maxlength: 5000, required: true, 'data-field': 'content' });
  const button = h('button.primary', { type: 'submit' }, '提交异议');
  const form = h('form.card', { id: 'objection-form', novalidate: true, 'aria-labelledby': 'objection-title' },
    h('h2', { id: 'objection-title' }, '对公示结果有异议？'),
    h('p', null, `公示期内（截止 ${when(r.noticeEndsAt)}），任何单位和个人均可对公示的成果提出异议，组委会将予以答复。请如实填写联系方式。`),
    summary,
    field('obj-entry', '异议涉及的成果', entry),
    field('obj-name', '提出人（个人或单位）', name),
    field('obj-contact', '联系方式', contact, '电话或电子邮箱'),
    field('obj-content', '异议内容及理由', content),
    h('div.actions', null, button));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    // The committee must be able to answer: a phone number or an e-mail address, checked before sending.
    // (An empty contact goes to the API, which names every missing field at once.)
    if (contact.value.trim() && !isContact(contact.value)) {
      showErrors(form, { message: '请更正标出的内容', errors: [{ field: 'contact', message: '请填写有效的电话号码（如 13812345678、022-12345678）或电子邮箱' }] }, summary);
      contact.focus();
      return;
    }
    button.disabled = true;
    try {
      /** @type {Schemas['ObjectionReceipt']} */
      const res = await api('POST', `/public/contests/${r.contest.id}/objections`, /** @satisfies {Schemas['FileObjectionDto']} */ ({
        entryId: entry.value ? Number(entry.value) : undefined, name: name.value, contact: contact.value, content: content.value,
      }));
      form.replaceChildren(h('h2', { id: 'objection-title' }, '异议已提交'),
        notice(`异议已受理${res?.id ? `（编号 ${res.id}）` : ''}，组委会将通过您留下的联系方式答复。`, 'ok'));
    } catch (err) {
      showErrors(form, err, summary);
      (form.querySelector('[aria-invalid]') || summary).focus?.();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
