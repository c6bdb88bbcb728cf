// The recommending unit (推荐单位): the entries that name it, filtered by status; recommend or
// decline with a reason (each after a confirmation); open an entry's report; the outcomes of
// preliminary review and, once public, the awards; the unit's recommendation quota per contest.
import { api, get, serverNow } from '../api.js';
import { confirmDialog, ENTRY_STATUS, ENTRY_TYPES, flash, h, LEVELS, load, mount, notice, table, takeFlash, when } from '../ui.js';
import {
  actionPanel, awardLists, registrationDecisions, decisionView, isPublished, levelOf, notAwarded, openAttachment, pdfButton, select, statusBadge,
} from './enterprise.js';
/** @typedef {import('../api.js').Schemas} Schemas */

/** Statuses that use one of the unit's recommendation slots (RECOMMENDED_OR_LATER in entry-rules.ts). */
const RECOMMENDED_OR_LATER = ['recommended', 'passed', 'returned', 'resubmitted', 'rejected', 'scheduled', 'presented', 'absent', 'scored', 'awarded', 'not_awarded'];
/** Statuses with a preliminary-review decision to show. */
const REVIEWED = RECOMMENDED_OR_LATER.filter((s) => s !== 'recommended');
const canRecommend = (status, phase) => status === 'submitted' && (phase === 'open' || phase === 'review');

/** The status filter survives re-renders after an action. */
let filter = '';

export async function unitScreen() {
  const data = await load('推荐成果', async () => {
    /** @type {[Schemas['EntryPage'], Schemas['ContestPage'], Schemas['UnitPage'], Schemas['EnterprisePage']]} */
    const [entries, contests, units, enterprises] = await Promise.all([
      get('/entries?pageSize=200'), get('/contests?pageSize=100'), get('/units?pageSize=1'), get('/enterprises?pageSize=200'),
    ]);
    /** @type {Map<number, Schemas['EntryReviewResponse']>} */
    const reviews = new Map(await Promise.all(entries.items.filter((e) => REVIEWED.includes(e.status))
      .map(async (e) => /** @type {[number, Schemas['EntryReviewResponse']]} */ ([e.id, await get(`/entries/${e.id}/review`)]))));
    return { entries, contests, unit: units.items[0], enterprises, reviews };
  });
  if (!data) return;
  const { entries, unit, reviews } = data;
  const contests = new Map(data.contests.items.map((c) => [c.id, c]));
  const names = new Map(data.enterprises.items.map((e) => [e.id, e.name]));
  const mine = data.contests.items.filter((c) => entries.items.some((e) => e.contestId === c.id));
  const lists = await awardLists(mine);
  const panel = h('div', { id: 'unit-panel' });
  const summary = h('div', { id: 'unit-summary', 'aria-live': 'assertive', tabindex: '-1' });
  const rerender = (msg) => { flash(msg); return unitScreen(); };
  const fail = (err) => { if (err.status !== 401) { summary.replaceChildren(notice(err.message, 'error')); summary.focus(); } };

  const used = (contestId) => entries.items.filter((e) => e.contestId === contestId && RECOMMENDED_OR_LATER.includes(e.status)).length;
  const quota = mine.map((c) => {
    const cap = c.rules.caps.recommendedPerUnit;
    const n = used(c.id);
    const excellent = lists.get(c.id)?.excellentUnits?.find((u) => u.unitId === unit?.id);
    return h('li', { id: `quota-${c.id}`, 'data-left': cap - n },
      h('strong', null, c.name), ` · 已推荐 ${n} 项，上限 ${cap} 项，剩余 ${Math.max(cap - n, 0)} 项`,
      deadlines(c),
      excellent ? h('div', null, `优秀推荐单位（第 ${excellent.place} 名）`, isPublished(c)
        ? [' ', pdfButton('下载优秀推荐单位证书', `/contests/${c.id}/units/${unit.id}/certificate.pdf`, `优秀推荐单位证书-${c.name}.pdf`)] : null) : null);
  });

  /** The contest's recommendation deadline (enforced by the API) and review deadline, in China Standard Time. */
  function deadlines(c) {
    if (!c.recommendationClosesAt && !c.reviewClosesAt) return null;
    const passed = c.recommendationClosesAt && serverNow() > Date.parse(c.recommendationClosesAt);
    return h('div.muted', { id: `deadline-${c.id}` },
      c.recommendationClosesAt ? h('span', { 'data-passed': String(!!passed) }, `推荐截止：${when(c.recommendationClosesAt)}${passed ? '（已截止）' : ''}`) : null,
      c.recommendationClosesAt && c.reviewClosesAt ? ' · ' : null,
      c.reviewClosesAt ? `初审截止：${when(c.reviewClosesAt)}` : null);
  }

  /** @param {Schemas['EntryListItem']} e */
  async function recommend(e) {
    const c = contests.get(e.contestId);
    const left = c.rules.caps.recommendedPerUnit - used(c.id);
    if (!(await confirmDialog('确认推荐', [`推荐「${e.title}」（${names.get(e.enterpriseId) ?? ''}）参加评比？`, `推荐后占用本单位 1 个推荐名额（当前剩余 ${left} 个），不能撤销。`], '确认推荐'))) return;
    try { await api('POST', `/entries/${e.id}/recommend`, undefined); await rerender(`已推荐「${e.title}」。`); } catch (err) { fail(err); }
  }

  /** @param {Schemas['EntryListItem']} e */
  function decline(e) {
    actionPanel(panel, {
      id: 'decline-form', title: `不予推荐：${e.title}`, label: '不予推荐的理由',
      control: h('textarea', { id: 'decline-reason', name: 'reason', 'data-field': 'reason', rows: 3, maxlength: 500 }),
      submitText: '确认不予推荐',
      confirm: ['确认不予推荐', [`「${e.title}」将不被推荐，企业会看到您填写的理由。此决定不能撤销。`], '不予推荐'],
      run: async (reason) => { await api('POST', `/entries/${e.id}/decline`, /** @satisfies {Schemas['DeclineEntryDto']} */ ({ reason })); await rerender(`已决定不予推荐「${e.title}」。`); },
    });
    panel.scrollIntoView({ block: 'nearest' });
  }

  /** @param {Schemas['EntryListItem']} e */
  function outcome(e) {
    const level = levelOf(lists, e);
    const last = reviews.get(e.id)?.decisions.at(-1);
    return h('td.outcome', null,
      level ? h('p', null, h('strong', { 'data-level': level }, LEVELS[level])) : null,
      notAwarded(lists, e) ? h('p', null, '未获奖') : null,
      last ? decisionView(last) : null,
      !level && !last && !notAwarded(lists, e) ? '—' : null);
  }

  /** @param {Schemas['EntryListItem']} e */
  function row(e) {
    const c = contests.get(e.contestId);
    const msg = h('span.muted', { role: 'status' });
    const report = h('button.link', { type: 'button', 'data-action': 'report' }, '查看报告');
    report.addEventListener('click', async () => {
      try {
        const files = (/** @type {Schemas['AttachmentList']} */ (await get(`/entries/${e.id}/attachments`))).items;
        const file = files.find((a) => a.kind === 'report' && a.current);
        if (file) await openAttachment(file, msg); else msg.textContent = '没有成果报告。';
      } catch (err) { msg.textContent = err.message; }
    });
    const actions = canRecommend(e.status, c?.phase)
      ? [h('button.primary', { type: 'button', 'data-action': 'recommend', onclick: () => recommend(e) }, '推荐'),
        h('button', { type: 'button', 'data-action': 'decline', onclick: () => decline(e) }, '不予推荐')]
      : [];
    return h('tr', { 'data-entry': e.id },
      h('td', null, e.title, h('div.muted', null, `${ENTRY_TYPES[e.entryType] || e.entryType || '—'} · ${e.team?.name || '—'}`)),
      h('td', null, e.enterpriseName || names.get(e.enterpriseId) || `企业 #${e.enterpriseId}`),
      h('td', null, c?.name ?? ''),
      h('td', null, statusBadge(e.status), h('div.muted', null, `提交 ${when(e.submittedAt)}`)),
      outcome(e),
      h('td', null, h('div.row-actions', null, ...actions, report), msg));
  }

  // Self-registered enterprises that chose this unit wait for its approval (or the organizer's);
  // the one who registered an enterprise cannot approve it (403 same_person_approval, its message shown).
  const { approve: approveEnterprise, reject: rejectEnterprise } = registrationDecisions(panel, rerender, fail, '该企业即可登录并向本单位申报成果。');
  const pending = data.enterprises.items.filter((x) => x.status === 'pending');
  const pendingCard = pending.length ? h('section.card', { 'aria-labelledby': 'pending-title', id: 'pending-enterprises' },
    h('h2', { id: 'pending-title' }, `待审核的企业登记（${pending.length}）`),
    table(['企业', '联系人', '登记时间', '操作'], pending.map((x) => h('tr', { 'data-enterprise': x.id },
      h('td', null, x.name, h('div.muted', null, x.uscc)), h('td', null, [x.contactPerson, x.phone].filter(Boolean).join(' · ') || '—'),
      h('td.nowrap', null, when(x.createdAt)),
      h('td', null, h('div.row-actions', null,
        h('button.primary', { type: 'button', 'data-action': 'approve', onclick: () => approveEnterprise(x) }, '审核通过'),
        h('button', { type: 'button', 'data-action': 'reject', onclick: () => rejectEnterprise(x) }, '驳回'))))))) : null;

  const count = (s) => entries.items.filter((e) => e.status === s).length;
  const filterSelect = select({ id: 'status-filter', name: 'status' },
    [['', `全部（${entries.items.length}）`], ...Object.entries(ENTRY_STATUS).filter(([s]) => s !== 'draft').map(([s, label]) => [s, `${label}（${count(s)}）`])], filter);
  const listBox = h('div', { id: 'unit-entries' });
  const drawList = () => listBox.replaceChildren(table(['成果', '企业', '评比活动', '状态', '初审与获奖', '操作'],
    entries.items.filter((e) => !filter || e.status === filter).map(row), filter ? '没有该状态的成果。' : '还没有企业向本单位提交成果。'));
  filterSelect.addEventListener('change', () => { filter = filterSelect.value; panel.replaceChildren(); drawList(); });
  drawList();

  mount(h('h1', null, '推荐成果', unit ? h('span.muted', null, ` · ${unit.name}`) : null), takeFlash(), summary, pendingCard,
    quota.length ? h('section.card', { 'aria-labelledby': 'quota-title' }, h('h2', { id: 'quota-title' }, '推荐名额'), h('ul.list', null, quota)) : null,
    h('section.card', { 'aria-labelledby': 'unit-entries-title' },
      h('h2', { id: 'unit-entries-title' }, '提交到本单位的成果'),
      h('div.field.inline', null, h('label', { for: 'status-filter' }, '按状态筛选'), filterSelect),
      panel, listBox));
}
