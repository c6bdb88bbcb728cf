// Assignment by expertise (专业匹配): the expert's profile (its own changes wait for the organizer),
// the organizer's list of methods and specialties with the changes to approve, the enterprise's
// choice of topics for its entry, and on the organizer's assignment screen the affinity heat map of
// each panel with the reasons of every assignment and the optimal assignment by expertise.
import { api, get } from '../api.js';
import { actionButton, confirmDialog, ENTRY_TYPES, field, h, load, mount, notice, onSubmit, summaryBox, table, when } from '../ui.js';

const DIMENSIONS = { industry: '行业', topic: '方法/专业', keyword: '关键词', entryType: '课题类型', experience: '从业年限' };

/** "行业「制造」+3、方法/专业「工艺」+2" — why an expert fits an entry. */
export function reasonText(matches) {
  if (!matches.length) return '无匹配项';
  return matches.map((m) => `${DIMENSIONS[m.dimension] || m.dimension}「${m.dimension === 'entryType' ? ENTRY_TYPES[m.value] || m.value : m.dimension === 'experience' ? `${m.value} 年` : m.value}」+${m.points}`).join('、');
}

const list = (text) => [...new Set(text.split(/[、,，;；\n]/).map((s) => s.trim()).filter(Boolean))];

/** Labelled checkboxes (value = label); errors for `name` land in the group. */
function checkGroup(id, name, legend, options, checked) {
  const chosen = new Set(checked);
  const all = [...new Set([...options, ...checked])];
  return h('fieldset.field.pr-checks', { id, 'data-field': name, tabindex: '-1' }, h('legend', null, legend),
    all.length ? h('div.pr-check-list', null, all.map((v, i) => h('div.pr-check', null,
      h('input', { type: 'checkbox', id: `${id}-${i}`, value: v, checked: chosen.has(v) }), h('label', { for: `${id}-${i}` }, ENTRY_TYPES[v] || v))))
      : h('p.muted', null, '暂无可选项。'));
}
const checkedValues = (group) => [...group.querySelectorAll('input:checked')].map((i) => i.value);

function profileFacts(p, id) {
  const row = (label, value) => [h('dt', null, label), h('dd', null, value || '—')];
  return h('dl.facts', { id },
    ...row('熟悉行业', p.industries.join('、')),
    ...row('擅长课题类型', p.entryTypes.map((t) => ENTRY_TYPES[t] || t).join('、')),
    ...row('方法与专业', p.topics.join('、')),
    ...row('从业年限', p.yearsOfExperience === null ? '' : `${p.yearsOfExperience} 年`),
    ...row('关键词', p.keywords.join('、')));
}

/**
 * The profile of expertise of one expert with its edit form. `asExpert`: the expert's own screen
 * (a change is sent for approval); otherwise the organizer's (applies at once).
 */
export async function profileCard(expertId, asExpert, rerender) {
  const [vocab, p] = await Promise.all([get('/expertise/vocabulary'), get(`/experts/${expertId}/profile`)]);
  const draft = p.pending ?? p;
  const industries = checkGroup('xp-industries', 'industries', '熟悉行业（与企业所属行业一致）', vocab.industries, draft.industries);
  const entryTypes = checkGroup('xp-entryTypes', 'entryTypes', '擅长课题类型', vocab.entryTypes, draft.entryTypes);
  const topics = checkGroup('xp-topics', 'topics', '方法与专业（组委会维护的专业类别）', vocab.topics.map((t) => t.name), draft.topics);
  const years = h('input', { id: 'xp-years', 'data-field': 'yearsOfExperience', type: 'number', min: 0, max: 70, value: draft.yearsOfExperience ?? '' });
  const keywords = h('input', { id: 'xp-keywords', 'data-field': 'keywords', value: draft.keywords.join('、'), maxLength: 250 });
  const summary = summaryBox();
  const form = h('form', { id: 'profile-form' }, summary, industries, entryTypes, topics,
    h('div.grid2', null, field('从业年限', years), field('关键词', keywords, '多个用顿号分隔，与成果题目匹配')),
    h('div.actions', null, h('button.primary', { type: 'submit', id: 'profile-save' }, asExpert ? '提交修改（待组委会审核）' : '保存')));
  onSubmit(form, summary, async () => {
    const body = {
      industries: checkedValues(industries), entryTypes: checkedValues(entryTypes), topics: checkedValues(topics),
      yearsOfExperience: years.value === '' ? null : Number(years.value), keywords: list(keywords.value),
    };
    await api('PUT', `/experts/${expertId}/profile`, body);
    await rerender(asExpert ? '修改已提交，组委会审核通过后生效。' : '专业信息已保存。');
  });
  return h('section.card', { id: 'expertise-profile', 'aria-labelledby': 'expertise-profile-h' },
    h('h2', { id: 'expertise-profile-h' }, `专业信息：${p.expertName}`),
    h('p.muted', null, '用于按专业匹配分配评审：行业、课题类型、方法与专业及关键词与成果相符的专家优先分配。'),
    profileFacts(p, 'profile-live'),
    p.pending ? h('div', { id: 'profile-pending' }, notice(`有待组委会审核的修改（${when(p.pendingSince)} 提交）：`, 'warn'), profileFacts(p.pending, 'profile-pending-facts')) : null,
    h('details', { open: !!asExpert }, h('summary', null, asExpert ? '修改我的专业信息' : '修改专业信息'), form));
}

/** The expert's own profile card on 我的专家资料 (#/account/profile). */
export async function ownProfileCard(expertId, rerender) {
  try { return await profileCard(expertId, true, rerender); } catch (err) { return notice(err.message, 'error'); }
}

// ------------------------------------------------------------------ organizer: topics and approvals

export async function expertiseScreen(state = {}) {
  const data = await load('专业类别与专家专业信息', async () => {
    const [vocab, pending, experts] = await Promise.all([get('/expertise/vocabulary'), get('/expertise/pending-profiles'), get('/experts?pageSize=200&active=true')]);
    return { vocab, pending, experts };
  });
  if (!data) return;
  const redo = (msg, next = {}) => expertiseScreen({ ...state, ...next, flash: msg });
  const summary = summaryBox();
  const name = h('input', { id: 'topic-name', 'data-field': 'name', maxLength: 50, required: true });
  const add = h('form', { id: 'topic-form' }, field('新增专业类别', name), h('div.actions', null, h('button.primary', { type: 'submit' }, '新增')));
  onSubmit(add, summary, async () => {
    await api('POST', '/expertise/topics', { name: name.value });
    await redo(`已新增专业类别「${name.value.trim()}」。`);
  });
  const topics = table(['专业类别', '操作'], data.vocab.topics.map((t) => h('tr', { 'data-topic': t.id }, h('td', null, t.name),
    h('td', null, actionButton('删除', { class: 'link', 'aria-label': `删除专业类别${t.name}` }, summary, async () => {
      if (!(await confirmDialog('删除专业类别', `确定删除「${t.name}」吗？已被选用的类别不能删除。`, '删除'))) return;
      await api('DELETE', `/expertise/topics/${t.id}`);
      await redo(`已删除专业类别「${t.name}」。`);
    })))), '还没有专业类别。', { id: 'topics-table' });
  const pending = data.pending.items.map((p) => h('div.pr-block', { 'data-pending': p.expertId },
    h('h3', null, `${p.expertName}（${when(p.pendingSince)} 提交）`),
    h('div.grid2', null, h('div', null, h('h4', null, '现有'), profileFacts(p, `pending-live-${p.expertId}`)), h('div', null, h('h4', null, '申请修改为'), profileFacts(p.pending, `pending-new-${p.expertId}`))),
    h('div.actions', null,
      actionButton('通过', { class: 'primary', id: `approve-${p.expertId}` }, summary, async () => {
        await api('POST', `/experts/${p.expertId}/profile/approve`);
        await redo(`已通过 ${p.expertName} 的专业信息修改。`);
      }),
      actionButton('不通过', { id: `reject-${p.expertId}` }, summary, async () => {
        await api('POST', `/experts/${p.expertId}/profile/reject`);
        await redo(`已驳回 ${p.expertName} 的专业信息修改。`);
      }))));
  const pick = h('select', { id: 'profile-expert' }, h('option', { value: '' }, '请选择专家'),
    data.experts.items.map((x) => h('option', { value: String(x.id), selected: x.id === state.expertId }, x.name)));
  const holder = h('div', { id: 'profile-holder' });
  const show = async (id) => {
    holder.replaceChildren(id ? await profileCard(id, false, (msg) => redo(msg, { expertId: id })) : '');
  };
  pick.addEventListener('change', () => void show(Number(pick.value) || null));
  mount(
    h('p.crumbs', null, h('a', { href: '#/organizer/orgs/experts' }, '组织管理'), ' / 专业匹配'),
    h('h1', null, '专业类别与专家专业信息'),
    state.flash ? h('div', { id: 'flash' }, notice(state.flash, 'ok')) : null,
    summary,
    h('section.card', { id: 'topics', 'aria-labelledby': 'topics-h' }, h('h2', { id: 'topics-h' }, '专业类别（方法与专业）'),
      h('p.muted', null, '专家和企业只能从此清单中选择；已被选用的类别不能删除。'), topics, add),
    h('section.card', { id: 'pending-profiles', 'aria-labelledby': 'pending-h' }, h('h2', { id: 'pending-h' }, `待审核的专家修改（${pending.length}）`),
      pending.length ? pending : h('p.muted', null, '没有待审核的修改。')),
    h('section.card', { id: 'edit-profile', 'aria-labelledby': 'edit-profile-h' }, h('h2', { id: 'edit-profile-h' }, '维护专家专业信息'), field('专家', pick), holder));
  if (state.expertId) await show(state.expertId);
}

// ------------------------------------------------------------------ enterprise: the entry's topics

/** The entry's topics; they may be chosen at any time (the organizer assigns judges by them after submission). */
export async function entryTopicsCard(entry) {
  let vocab;
  let current;
  try {
    [vocab, current] = await Promise.all([get('/expertise/vocabulary'), get(`/entries/${entry.id}/topics`)]);
  } catch (err) {
    return notice(err.message, 'error');
  }
  const group = checkGroup('entry-topics', 'topics', '成果涉及的方法与专业（最多 5 项）', vocab.topics.map((t) => t.name), current.topics);
  const summary = summaryBox();
  const done = h('div', { 'aria-live': 'polite' });
  const form = h('form', { id: 'entry-topics-form' }, summary, group,
    h('div.actions', null, h('button', { type: 'submit', id: 'entry-topics-save' }, '保存专业类别')), done);
  onSubmit(form, summary, async () => {
    const r = await api('PUT', `/entries/${entry.id}/topics`, { topics: checkedValues(group) });
    done.replaceChildren(notice(`已保存：${r.topics.join('、') || '未选择'}`, 'ok'));
  });
  return h('section.card', { id: 'entry-topics-card', 'aria-labelledby': 'entry-topics-h' },
    h('h2', { id: 'entry-topics-h' }, '专业类别'),
    h('p.muted', null, `行业：${current.industry || '未填写'}（来自企业信息）；类型：${ENTRY_TYPES[current.entryType] || '未选择'}。组委会据此安排专业对口的评审专家。`),
    form);
}

// ------------------------------------------------------------------ organizer: heat map and assignment

/** Background colour of a score: white (0) to deep green (max). */
const heat = (score, max) => `background: hsl(140, 55%, ${Math.round(97 - (score / (max || 1)) * 55)}%)`;

function heatMap(a) {
  const assigned = new Set(a.assignments.map((x) => `${x.expertId}:${x.entryId}`));
  const head = h('tr', null, h('th', { scope: 'col' }, '成果 \\ 专家'), a.experts.map((x) => h('th', { scope: 'col', title: x.hasProfile ? x.name : `${x.name}（未填写专业信息）` }, x.name, x.hasProfile ? null : '*')));
  const rows = a.entries.map((e, i) => h('tr', { 'data-entry': e.id },
    h('th', { scope: 'row', title: [e.industry, ENTRY_TYPES[e.entryType], ...e.topics].filter(Boolean).join(' · ') }, e.title),
    a.experts.map((x, j) => {
      const s = a.scores[i][j];
      const on = assigned.has(`${x.id}:${e.id}`);
      return h('td.num', { 'data-score': s === null ? 'conflict' : String(s), 'data-assigned': on ? 'true' : null, style: s === null ? 'background: #eee' : heat(s, a.maxAffinity),
        title: `${x.name} — ${e.title}：${s === null ? '回避' : `匹配度 ${s}`}${on ? '（已分配）' : ''}` }, s === null ? '回避' : on ? `●${s}` : String(s));
    })));
  return h('div.table-wrap', { style: 'overflow-x: auto' }, h('table.heatmap', { id: `heatmap-${a.panelId}`, 'aria-label': `${a.panelName}专业匹配度热力图` }, h('thead', null, head), h('tbody', null, rows)));
}

function reasons(a) {
  const expert = new Map(a.experts.map((x) => [x.id, x.name]));
  const entry = new Map(a.entries.map((e) => [e.id, e.title]));
  return h('details', { id: `reasons-${a.panelId}` }, h('summary', null, `分配理由（${a.assignments.length} 对，总匹配度 ${a.totalAffinity}）`),
    table(['成果', '专家', '匹配度', '理由'], a.assignments.map((x) => h('tr', { 'data-pair': `${x.expertId}:${x.entryId}` },
      h('td', null, entry.get(x.entryId)), h('td', null, expert.get(x.expertId)), h('td.num', null, String(x.affinity)), h('td', null, reasonText(x.matches)))), '尚无分配。'));
}

function coverageNotes(a) {
  const c = a.coverage;
  const lines = [
    ...c.entriesWithoutSpecialist.map((e) => `「${e.title}」的 ${e.judges} 位评审都不匹配其行业、方法或关键词`),
    ...c.expertsBelowPanel.map((x) => `${x.name} 的平均匹配度 ${x.meanAffinity} 远低于本组的 ${x.panelMeanAffinity}（${x.entries} 项）`),
  ];
  return h('div', { id: `coverage-${a.panelId}`, 'data-role': 'coverage' }, lines.length
    ? h('div.notice.warn', { role: 'status' }, '专业覆盖：', h('ul.list', null, lines.map((l) => h('li', null, l))))
    : notice(a.assignments.length ? '专业覆盖：每项成果都有对口专家评审。' : '专业覆盖：尚无分配。', 'ok'));
}

/**
 * The expertise part of a panel on the assignment screen: the optimal assignment form, the heat map,
 * the reasons and the coverage. Filled in when the panel's affinity arrives.
 */
export function affinityBlock(panel, { min, entries, redo, randomHex }) {
  const holder = h('div.pr-expertise', { id: `expertise-${panel.id}`, 'data-panel': panel.id }, h('p.muted', null, '正在计算专业匹配度…'));
  const minInput = h('input', { id: `xa-${panel.id}-min`, 'data-field': 'minJudgesPerEntry', type: 'number', min: 1, max: 50, value: Math.min(min, panel.members.length || 1) });
  const cap = h('input', { id: `xa-${panel.id}-load`, 'data-field': 'maxLoadPerExpert', type: 'number', min: 1, max: 10000, value: Math.max(entries, 1) });
  const seed = h('input', { id: `xa-${panel.id}-seed`, 'data-field': 'seed', maxLength: 128, value: randomHex(8) });
  const fair = h('input', { id: `xa-${panel.id}-fair`, type: 'checkbox' });
  const formSummary = summaryBox();
  const form = h('form', { id: `expertise-form-${panel.id}` }, formSummary,
    h('div.pr-row', null, field('每项成果评审人数', minInput), field('每位专家最多评审', cap), field('随机种子', seed, '同一种子得到同一分配结果')),
    h('div.pr-check', null, fair, h('label', { for: fair.id }, '优先照顾对口专家最少的成果（公平优先）')),
    h('div.actions', null, h('button.primary', { type: 'submit' }, '按专业匹配分配')));
  onSubmit(form, formSummary, async () => {
    if (!(await confirmDialog('按专业匹配分配', `将按专业匹配度替换「${panel.name}」的全部现有分配，确定吗？`, '重新分配'))) return;
    const r = await api('POST', `/panels/${panel.id}/assignments/expertise`, {
      minJudgesPerEntry: Number(minInput.value), maxLoadPerExpert: Number(cap.value), seed: seed.value.trim(), fairness: fair.checked,
    });
    const delta = r.totalAffinity - r.previousTotalAffinity;
    await redo({ at: 'assignments', flash: r.fallback
      ? `「${panel.name}」的专家或成果尚无专业信息，已按均衡方式分配 ${r.pairs.length} 对评审。`
      : `「${panel.name}」已按专业匹配分配 ${r.pairs.length} 对评审，总匹配度 ${r.totalAffinity}（${delta >= 0 ? '+' : ''}${delta}），每项成果至少 ${r.minSpecialists} 位对口专家。` });
  });
  void get(`/panels/${panel.id}/affinity`).then((a) => {
    holder.replaceChildren(
      h('details', null, h('summary', null, '按专业匹配分配'), h('p.muted', null, '在回避、评审人数和评审量上限的前提下，使总匹配度最大；专家和成果都没有专业信息时按均衡方式分配。'), form),
      h('h4', null, `专业匹配度（满分 ${a.maxAffinity}；●为已分配，*为未填写专业信息）`),
      heatMap(a), reasons(a), coverageNotes(a));
  }, (err) => holder.replaceChildren(notice(err.message, 'error')));
  return holder;
}

/** The affinity a manual change gains or loses: "匹配度 +5（行业「制造」+3、…）". */
export async function pairAffinityText(panelId, expertId, entryId) {
  try {
    const a = await get(`/panels/${panelId}/affinity`);
    const i = a.entries.findIndex((e) => e.id === entryId);
    const j = a.experts.findIndex((x) => x.id === expertId);
    if (i < 0 || j < 0 || a.scores[i][j] === null) return '';
    const pair = a.assignments.find((x) => x.expertId === expertId && x.entryId === entryId);
    return `匹配度 ${a.scores[i][j]}${pair ? `（${reasonText(pair.matches)}）` : ''}`;
  } catch {
    return '';
  }
}

/** The quality report's coverage: per panel, entries without a specialist and experts far below their panel. */
export async function coverageSection(contestId) {
  const panels = (await get(`/contests/${contestId}/panels?pageSize=200`)).items;
  const maps = await Promise.all(panels.map((p) => get(`/panels/${p.id}/affinity`)));
  return h('section.card', { id: 'coverage', 'aria-labelledby': 'coverage-h' }, h('h2', { id: 'coverage-h' }, '专业覆盖'),
    h('p.muted', null, '评审是否对口：成果的评审专家中无人匹配其行业、方法或关键词；专家的平均匹配度远低于本组（不到一半且低 2 分以上）。'),
    maps.length ? maps.map((a) => h('div', { 'data-panel': a.panelId }, h('h3', null, a.panelName), coverageNotes(a))) : notice('还没有评审组。'));
}
