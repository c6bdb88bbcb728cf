// The enterprise's portal: its entries across contests with what to do next, the contests open for
// submission, awards and certificates; one entry's form (draft, edit, upload, submit, resubmit when
// returned, withdraw), its review notes, presentation schedule and status timeline.
// The portal helpers at the top are shared with the unit and admin screens (unit.js, admin.js).
import { api, blob, get, serverNow } from '../api.js';
import { entryTopicsCard } from './expertise.js';
import {
  actionButton, ATTACHMENT_KINDS, ATTENDANCE, confirmDialog, DECISIONS, download, ENTRY_STATUS, ENTRY_TYPES, field, fileTypeName, flash, h, LEVELS, load, mount, notice, onSubmit,
  searchable, summaryBox, table, takeFlash, timelineCard, when,
} from '../ui.js';
/** @typedef {import('../api.js').Schemas} Schemas */
/** contestId → its public award list (awardLists). @typedef {Map<number, Schemas['AwardListResponse']>} AwardLists */

// ---------------------------------------------------------------- portal helpers (shared)


/** A <select> of [value, label] pairs with `value` chosen. */
export function select(attrs, options, value) {
  return h('select', attrs, options.map(([v, label]) => h('option', { value: String(v), selected: String(v) === String(value ?? '') }, label)));
}

/** The entry's status as a badge (data-status for tests and styles). */
export function statusBadge(status, id) {
  return h('span.badge.status', { id, 'data-status': status }, ENTRY_STATUS[status] || status);
}

/**
 * A file behind the bearer token opened in a new tab from an object URL; `msg` reports the outcome.
 * @param {Schemas['AttachmentResponse']} file
 */
export async function openAttachment(file, msg) {
  msg.textContent = '正在打开…';
  try {
    const url = URL.createObjectURL(await blob(`/attachments/${file.id}/download`));
    const a = h('a', { href: url, target: '_blank', rel: 'noopener' }, file.originalName);
    msg.replaceChildren('已打开：', a);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10 * 60 * 1000);
  } catch (err) {
    msg.textContent = '无法打开文件：' + err.message;
  }
}


/**
 * One review decision: outcome, reason, and the checklist items that failed with their notes.
 * @param {Schemas['ReviewDecisionResponse']} d
 */
export function decisionView(d) {
  const failed = d.checklist.filter((c) => !c.ok);
  return h('div.decision', { 'data-decision': d.decision },
    h('p', null, h('strong', null, `第 ${d.round} 轮初审：${DECISIONS[d.decision] || d.decision}`), ' ', h('span.muted', null, when(d.createdAt))),
    d.reason ? h('p', null, '意见：', d.reason) : null,
    failed.length ? h('ul', null, failed.map((c) => h('li', null, `${c.title || c.key}：${c.note || '不符合要求'}`))) : null);
}

/** Phases in which the award list is public. */
const PUBLIC_PHASES = ['notice', 'published', 'archived'];
export const isPublished = (contest) => contest?.phase === 'published' || contest?.phase === 'archived';

/** Judged but not on its contest's public award list (publication does not move entries to not_awarded). */
export const notAwarded = (lists, entry) =>
  lists.has(entry.contestId) && !levelOf(lists, entry) && ['presented', 'absent', 'scored', 'not_awarded'].includes(entry.status);

/** Whether the entry's certificate can be downloaded: it is on its contest's published award list. */
export const hasCertificate = (lists, entry, contest) => isPublished(contest) && lists.get(entry.contestId)?.status === 'published' && !!levelOf(lists, entry);

/**
 * The public award lists of these contests (those in notice or later): contestId → list.
 * @param {Schemas['ContestResponse'][]} contests
 */
export async function awardLists(contests) {
  /** @type {AwardLists} */
  const out = new Map();
  await Promise.all(contests.filter((c) => PUBLIC_PHASES.includes(c.phase)).map(async (c) => {
    try { out.set(c.id, await get(`/public/contests/${c.id}/results`)); } catch { /* no list yet */ }
  }));
  return out;
}

/**
 * The award level of an entry in its contest's public list, or null.
 * @param {AwardLists} lists
 * @param {{ id: number, contestId: number }} entry
 */
export function levelOf(lists, entry) {
  const list = lists.get(entry.contestId);
  if (!list) return null;
  return Object.keys(LEVELS).find((l) => (list.levels[l] || []).some((e) => e.entryId === entry.id)) || null;
}

/** A button that downloads a PDF behind the bearer token; errors go to `msg`. */
export function pdfButton(label, path, filename, attrs = {}) {
  const msg = h('span.muted', { role: 'status' });
  const button = h('button', { type: 'button', ...attrs }, label);
  button.addEventListener('click', async () => {
    msg.textContent = '';
    try { await download(() => blob(path), filename); } catch (err) { msg.textContent = err.message; }
  });
  return h('span', null, button, ' ', msg);
}

/**
 * A form for one action that needs input (a reason, a new password) in `region`: the API's errors
 * appear next to the field; `confirm` ([title, body, ok]) asks first; `run(value)` does the work.
 */
/**
 * Approving or rejecting a self-registered enterprise, from the organizer's organisations screen and
 * from its unit's screen: approval after a confirmation (`allows` says what it opens), rejection with
 * a reason the enterprise sees. A refusal (e.g. 403 same_person_approval) goes to `fail`.
 */
export function registrationDecisions(panel, rerender, fail, allows) {
  return {
    /** @param {Schemas['EnterpriseResponse']} e */
    async approve(e) {
      if (!(await confirmDialog('确认审核通过', [`审核通过「${e.name}」（${e.uscc}）后，${allows}`], '审核通过'))) return;
      try { await api('POST', `/enterprises/${e.id}/approve`, undefined); await rerender(`已审核通过「${e.name}」。`); } catch (err) { fail(err); }
    },
    /** @param {Schemas['EnterpriseResponse']} e */
    reject(e) {
      actionPanel(panel, {
        id: 'reject-form', title: `驳回企业登记：${e.name}`, label: '驳回理由（企业可以看到）',
        control: h('textarea', { id: 'reject-reason', name: 'reason', 'data-field': 'reason', rows: 3, maxlength: 500 }),
        submitText: '确认驳回',
        confirm: ['确认驳回', [`「${e.name}」的登记将被驳回，企业会看到您填写的理由。`], '驳回'],
        run: async (reason) => { await api('POST', `/enterprises/${e.id}/reject`, /** @satisfies {Schemas['RejectEnterpriseDto']} */ ({ reason })); await rerender(`已驳回「${e.name}」的登记。`); },
      });
      panel.scrollIntoView({ block: 'nearest' });
    },
  };
}

export function actionPanel(region, { id, title, label, control, submitText, confirm, run }) {
  const summary = summaryBox();
  const cancel = h('button', { type: 'button' }, '取消');
  const form = h('form.card.action-panel', { id, 'aria-labelledby': id + '-title' },
    h('h2', { id: id + '-title' }, title), summary, field(label, control),
    h('div.actions', null, cancel, h('button.primary', { type: 'submit' }, submitText)));
  cancel.addEventListener('click', () => region.replaceChildren());
  onSubmit(form, summary, async () => {
    if (confirm && !(await confirmDialog(...confirm))) return;
    await run(control.value);
  });
  region.replaceChildren(form);
  control.focus();
  return form;
}

// ---------------------------------------------------------------- enterprise home

/** What the enterprise should do next, by status (and whether the contest still takes submissions). */
function nextStep(entry, contest, lists) {
  const level = levelOf(lists, entry);
  if (level) return `获奖（${LEVELS[level]}）` + (isPublished(contest) ? '：可下载荣誉证书' : '：结果公示中');
  if (notAwarded(lists, entry)) return '未获奖';
  switch (entry.status) {
    case 'draft': return contest && submissionOpen(contest) ? '草稿：完善内容并上传成果报告后提交申报' : '草稿：当前不在申报时间内，无法提交';
    case 'submitted': return '已提交：等待推荐单位推荐';
    case 'recommended': return '已推荐：等待组委会材料初审';
    case 'declined': return '推荐单位未予推荐';
    case 'returned': return '退回修改：请按意见修改后重新提交';
    case 'resubmitted': return '已重新提交：等待组委会复审';
    case 'passed': return '初审通过：等待安排现场发表';
    case 'rejected': return '初审未通过';
    case 'scheduled': return '已安排现场发表：请查看发表日程';
    case 'presented': return '已完成现场发表：等待评审结果';
    case 'absent': return '现场发表缺席';
    case 'scored': return '评分完成：等待结果公示';
    case 'awarded': return '获奖';
    case 'not_awarded': return '未获奖';
    case 'withdrawn': return '已撤回';
    default: return '';
  }
}

/** The contest is open and the server's submission window includes now (the API decides in the end). */
function submissionOpen(c) {
  const now = serverNow();
  return c.phase === 'open' && (!c.submissionOpensAt || Date.parse(c.submissionOpensAt) <= now) && (!c.submissionClosesAt || now <= Date.parse(c.submissionClosesAt));
}

const certificateName = (entry) => `荣誉证书-${entry.title}.pdf`;

export async function enterpriseScreen() {
  /** @type {[Schemas['EntryPage'], Schemas['ContestPage'], Schemas['EnterprisePage']]} */
  const data = await load('我的申报', () => Promise.all([get('/entries?pageSize=200'), get('/contests?pageSize=100'), get('/enterprises?pageSize=1')]));
  if (!data) return;
  const [entries, contests, own] = data;
  const me = own.items[0];
  const byId = new Map(contests.items.map((c) => [c.id, c]));
  const lists = await awardLists(contests.items.filter((c) => entries.items.some((e) => e.contestId === c.id)));
  const open = contests.items.filter(submissionOpen);

  const rows = entries.items.map((e) => {
    const contest = byId.get(e.contestId);
    const level = levelOf(lists, e);
    return h('tr', { 'data-entry': e.id },
      h('td', null, h('a', { href: `#/enterprise/entry/${e.id}` }, e.title), h('div.muted', null, [e.entryType ? ENTRY_TYPES[e.entryType] || e.entryType : '成果类型未填', e.team?.name || '小组未填'].join(' · '))),
      h('td', null, e.contestName || contest?.name || `评比活动 #${e.contestId}`),
      h('td', null, statusBadge(e.status)),
      h('td.next', null, nextStep(e, contest, lists)),
      h('td', null, level ? h('strong', { 'data-level': level }, LEVELS[level]) : '—',
        hasCertificate(lists, e, contest)
          ? h('div', null, pdfButton('下载证书', `/entries/${e.id}/certificate.pdf`, certificateName(e), { 'data-certificate': e.id }))
          : null));
  });

  mount(h('h1', null, '我的申报'), takeFlash(), registrationState(me),
    h('section.card', { 'aria-labelledby': 'open-contests', id: 'open-contest-list' },
      h('h2', { id: 'open-contests' }, '正在征集成果的评比活动'),
      me && me.status !== 'approved' ? notice('企业注册审核通过后才能新建申报。') : open.length
        ? h('ul.list', null, open.map((c) => h('li', { 'data-contest': c.id },
          h('strong', null, c.name), ` · 申报截止 ${when(c.submissionClosesAt)} `,
          h('a.button', { href: `#/enterprise/entry/new/${c.id}`, 'data-new-entry': c.id }, '新建申报'))))
        : notice('目前没有正在征集成果的评比活动。')),
    h('section.card', { 'aria-labelledby': 'my-entries' },
      h('h2', { id: 'my-entries' }, `我的成果（${entries.total} 项）`),
      table(['成果', '评比活动', '状态', '下一步', '获奖'], rows, '还没有申报成果。', { id: 'entry-list' })));
}

/**
 * A self-registered enterprise's state: pending (wait for the review) or rejected (with the reason); nothing once approved.
 * @param {Schemas['EnterpriseResponse'] | undefined} me
 */
function registrationState(me) {
  if (!me || me.status === 'approved') return null;
  if (me.status === 'pending') {
    return h('section.card', { id: 'registration-state', 'data-state': 'pending' },
      h('h2', null, '注册审核中'),
      notice(`「${me.name}」的注册正在由推荐单位或组委会审核。审核通过后即可新建申报，请稍后再登录查看。`, 'warn'));
  }
  return h('section.card', { id: 'registration-state', 'data-state': me.status },
    h('h2', null, '注册未通过审核'),
    notice(`「${me.name}」的注册未通过审核${me.statusReason ? '：' + me.statusReason : ''}。如有疑问请联系推荐单位或组委会。`, 'error'));
}

// ---------------------------------------------------------------- one entry

const KIND_HINT = '成果报告：PDF；发表材料：PDF 或 PPTX；证明材料：PDF、PNG、JPEG、DOCX、XLSX 或 PPTX（按文件内容判断类型）。';

/** Mirrors the API's rules (entry-rules.ts) to offer only what may work; the API decides. */
const canEdit = (status, phase) => (status === 'draft' && phase === 'open') || (status === 'returned' && phase === 'review');
const canWithdraw = (status, phase) => ['draft', 'submitted', 'recommended'].includes(status) && (phase === 'open' || phase === 'review');

/**
 * POST multipart (kind + file) with the bearer token; the API's refusal as an ApiError.
 * @returns {Promise<Schemas['AttachmentResponse']>}
 */
async function uploadFile(entryId, kind, file) {
  const form = new FormData();
  form.append('kind', kind);
  if (file) form.append('file', file);
  return api('POST', `/entries/${entryId}/attachments`, form);
}

export async function enterpriseEntryScreen(entryId, contestId) {
  if (!entryId && !contestId) { location.hash = '#/enterprise'; return; }
  const title = entryId ? '成果申报' : '新建申报';
  const data = await load(title, async () => {
    /** @type {Schemas['EntryDetailResponse'] | null} */
    const entry = entryId ? await get(`/entries/${entryId}`) : null;
    const cid = entry ? entry.contestId : contestId;
    /** @type {[Schemas['ContestResponse'], Schemas['UnitPage'], Schemas['EnterprisePage']]} */
    const [contest, units, own] = await Promise.all([get(`/contests/${cid}`), get('/units?pageSize=200'), get('/enterprises?pageSize=1')]);
    if (!entry) return { entry, contest, units, own };
    /** @type {[Schemas['AttachmentList'], Schemas['EntryEventList'], Schemas['EntryReviewResponse'], Schemas['EntryScheduleResponse'], AwardLists]} */
    const [attachments, events, review, schedule, lists] = await Promise.all([
      get(`/entries/${entry.id}/attachments`), get(`/entries/${entry.id}/events`), get(`/entries/${entry.id}/review`), get(`/entries/${entry.id}/schedule`),
      awardLists([contest]),
    ]);
    return { entry, contest, units, own, attachments, events, review, schedule, lists };
  });
  if (!data) return;
  const { entry, contest } = data;
  const rerender = (msg) => { flash(msg); return enterpriseEntryScreen(entry.id, null); };
  const editable = entry ? canEdit(entry.status, contest.phase) : true;
  const latest = data.review?.decisions.at(-1);

  mount(
    h('p.crumbs', null, h('a', { href: '#/enterprise' }, '我的申报'), ' / ', contest.name),
    h('h1', null, entry ? entry.title : `新建申报：${contest.name}`, ' ', entry ? statusBadge(entry.status, 'entry-status') : null),
    takeFlash(),
    entry?.status === 'returned' && latest ? h('section.card.returned', { id: 'review-notes', 'aria-labelledby': 'review-notes-title' },
      h('h2', { id: 'review-notes-title' }, '退回修改意见'),
      notice('该成果被退回修改：请按以下意见修改内容或重新上传材料后，重新提交。', 'warn'),
      decisionView(latest)) : null,
    entryForm(data, editable, rerender),
    entry ? topicsHolder(entry) : null,
    entry ? attachmentsCard(entry, data.attachments.items, editable, rerender) : null,
    entry ? actionsCard(entry, contest, rerender) : null,
    entry && hasCertificate(data.lists, entry, contest) ? h('section.card', { 'aria-labelledby': 'cert-title' },
      h('h2', { id: 'cert-title' }, `荣誉证书（${LEVELS[levelOf(data.lists, entry)]}）`),
      pdfButton('下载荣誉证书', `/entries/${entry.id}/certificate.pdf`, certificateName(entry), { id: 'download-certificate' })) : null,
    entry ? scheduleCard(data.schedule, entry.contestId) : null,
    data.review?.decisions.length ? h('section.card', { id: 'reviews', 'aria-labelledby': 'reviews-title' },
      h('h2', { id: 'reviews-title' }, '材料初审记录'), data.review.decisions.map(decisionView)) : null,
    entry ? timelineCard(data.events.items) : null);
}

/** The entry's topics (专业类别), filled in when they arrive. */
function topicsHolder(entry) {
  const holder = h('div', { id: 'entry-topics-holder' });
  void entryTopicsCard(entry).then((card) => holder.replaceChildren(card));
  return holder;
}

/** A label marked required to save (the star is decoration: the control carries `required`). */
const req = (label) => [label, h('span.req', { 'aria-hidden': 'true' }, ' *')];
/** A label marked needed to submit (a draft may be saved without it); said in words, also to screen readers. */
const later = (label) => [label, h('span.req-later', null, '（提交前必填）')];

/** The entry's fields; read-only (a disabled fieldset) unless the entry may be changed now. */
function entryForm({ entry, contest, units, own }, editable, rerender) {
  const blankTeam = { name: '', leader: '', members: [{ name: '', jobTitle: '', role: '组长' }] };
  const e = entry ?? { title: '', entryType: contest.rules.allowedEntryTypes[0], trackId: null, unitId: own.items[0]?.defaultUnitId ?? null,
    team: blankTeam, summary: '', activityStart: '', activityEnd: '', economicBenefit: '', benefitDescription: '' };
  // A partial draft keeps nulls for what it lacks; the form shows them empty.
  const team = { ...blankTeam, ...(e.team ?? {}) };
  if (!team.members.length) team.members = blankTeam.members;
  const input = (name, attrs = {}) => h('input', { id: 'entry-' + name.replace(/\./g, '-'), name, 'data-field': name, ...attrs });
  const area = (name, rows, attrs = {}) => h('textarea', { id: 'entry-' + name, name, 'data-field': name, rows, ...attrs });

  const c = {
    title: input('title', { value: e.title, maxlength: 200 , required: true }),
    entryType: select({ id: 'entry-entryType', name: 'entryType', 'data-field': 'entryType' },
      [['', '请选择成果类型'], ...contest.rules.allowedEntryTypes.map((t) => [t, ENTRY_TYPES[t] || t])], e.entryType),
    trackId: select({ id: 'entry-trackId', name: 'trackId', 'data-field': 'trackId' },
      [['', '不指定（由组委会分组）'], ...(contest.tracks || []).map((t) => [t.id, t.name])], e.trackId),
    unitId: select({ id: 'entry-unitId', name: 'unitId', 'data-field': 'unitId', disabled: !!entry && entry.status !== 'draft' },
      [['', '请选择推荐单位'], ...units.items.filter((u) => u.active !== false || u.id === e.unitId).map((u) => [u.id, u.name])], e.unitId),
    teamName: input('team.name', { value: team.name ?? '', maxlength: 100 }),
    leader: input('team.leader', { value: team.leader ?? '', maxlength: 20 }),
    summary: area('summary', 5, { value: e.summary ?? '', maxlength: 4000 }),
    activityStart: input('activityStart', { type: 'date', value: e.activityStart ?? '' }),
    activityEnd: input('activityEnd', { type: 'date', value: e.activityEnd ?? '' }),
    economicBenefit: input('economicBenefit', { type: 'number', min: 0, step: 1, inputmode: 'numeric', value: e.economicBenefit === null ? '' : String(e.economicBenefit) }),
    benefitDescription: area('benefitDescription', 3, { value: e.benefitDescription ?? '', maxlength: 1000 }),
  };
  const members = membersEditor(team.members, editable);
  const summary = summaryBox();
  const form = h('form.card', { id: 'entry-form', 'aria-labelledby': 'entry-form-title' },
    h('h2', { id: 'entry-form-title' }, '成果信息'),
    editable ? null : notice('当前状态下成果信息不能修改。'),
    editable ? h('p.muted', { id: 'required-note' }, '保存草稿只需填写标 * 的课题名称，其余内容可以以后补充；标“提交前必填”的项目和成果报告（PDF）在提交申报前须齐全。') : null,
    summary,
    h('fieldset.plain', { disabled: !editable },
      h('legend.sr-only', null, '成果信息'),
      field(req('课题名称'), c.title),
      h('div.grid2', null, field(later('成果类型'), c.entryType), (contest.tracks || []).length ? field('分组', c.trackId) : null),
      field('推荐单位', searchable(c.unitId, '推荐单位'), entry && entry.status !== 'draft' ? '成果推荐后不能更换推荐单位' : '默认为本企业的推荐单位'),
      h('div.grid2', null, field(later('小组名称'), c.teamName), field(later('组长'), c.leader)),
      members.element,
      field(later('成果简介'), c.summary),
      h('div.grid2', null, field(later('活动开始日期'), c.activityStart), field(later('活动结束日期'), c.activityEnd)),
      field(later('经济效益（元）'), c.economicBenefit, '整数，单位：元；没有可计算的经济效益时填 0'),
      field('效益计算说明', c.benefitDescription)),
    editable ? h('div.actions', null, h('button.primary', { type: 'submit', id: 'save-entry' }, entry ? '保存修改' : '保存草稿')) : null);

  onSubmit(form, summary, async () => {
    // A draft needs only its title (the API's rule); the rest may follow, and submission lists what is missing.
    if (!c.title.value.trim()) throw { message: '还不能保存，请填写：课题名称', errors: [{ field: 'title', message: '必填' }] };
    const raw = c.economicBenefit.value.trim();
    const orNull = (v) => (v.trim() === '' ? null : v);
    /** @satisfies {Schemas['CreateEntryDto']} */
    const body = {
      title: c.title.value, entryType: c.entryType.value || null, trackId: c.trackId.value ? Number(c.trackId.value) : null,
      // Member rows left wholly empty are not members (yet); a row with something in it needs a name.
      team: { name: c.teamName.value, leader: c.leader.value, members: members.values().filter((m) => m.name.trim() || m.jobTitle.trim()) },
      summary: orNull(c.summary.value), activityStart: c.activityStart.value || null, activityEnd: c.activityEnd.value || null,
      economicBenefit: raw === '' ? null : Number(raw), benefitDescription: c.benefitDescription.value,
      unitId: c.unitId.value ? Number(c.unitId.value) : undefined,
    };
    if (!entry) {
      /** @type {Schemas['EntryResponse']} */
      const created = await api('POST', `/contests/${contest.id}/entries`, body);
      flash('已保存草稿。内容齐全并上传成果报告（PDF）后即可提交申报。');
      location.hash = `#/enterprise/entry/${created.id}`;
      return;
    }
    await api('PATCH', `/entries/${entry.id}`, /** @satisfies {Schemas['UpdateEntryDto']} */ ({ ...body, version: entry.version }));
    await rerender('已保存修改。');
  });
  return form;
}

/** Team member rows (name, title, role) with add / remove; fields named as the API reports them. */
function membersEditor(initial, editable) {
  let rows = initial.map((m) => ({ ...m }));
  const list = h('div', { id: 'member-rows' });
  const box = h('fieldset.field.members', { id: 'team-members', 'data-field': 'team.members', tabindex: '-1' },
    h('legend', null, '小组成员'), list,
    editable ? h('button', { type: 'button', id: 'add-member', onclick: () => { sync(); rows.push({ name: '', jobTitle: '', role: '组员' }); draw(); list.querySelector('.member:last-child input')?.focus(); } }, '添加成员') : null);
  const KEYS = [['name', '姓名'], ['jobTitle', '职务/职称'], ['role', '组内分工']];
  function draw() {
    list.replaceChildren(...rows.map((m, i) => h('div.member', { 'data-member': i },
      ...KEYS.map(([k, label]) => field(`成员 ${i + 1} ${label}`,
        h('input', { id: `member-${i}-${k}`, 'data-field': `team.members.${i}.${k}`, value: m[k], maxlength: k === 'name' ? 20 : k === 'role' ? 10 : 30 }))),
      editable && rows.length > 1 ? h('button.link', { type: 'button', 'aria-label': `删除成员 ${i + 1}`, onclick: () => { sync(); rows.splice(i, 1); draw(); } }, '删除') : null)));
  }
  function sync() {
    rows = rows.map((_, i) => Object.fromEntries(KEYS.map(([k]) => [k, list.querySelector(`#member-${i}-${k}`).value])));
  }
  draw();
  return { element: box, values: () => { sync(); return rows.map((m) => ({ ...m })); } };
}

/**
 * @param {Schemas['EntryDetailResponse']} entry
 * @param {Schemas['AttachmentResponse'][]} items
 */
function attachmentsCard(entry, items, editable, rerender) {
  const msg = h('span.muted', { role: 'status', id: 'attachment-msg' });
  const sorted = [...items].sort((a, b) => Object.keys(ATTACHMENT_KINDS).indexOf(a.kind) - Object.keys(ATTACHMENT_KINDS).indexOf(b.kind) || b.version - a.version);
  const rows = sorted.map((a) => h('tr', { 'data-attachment': a.id, 'data-kind': a.kind, class: a.current ? null : 'old' },
    h('td', null, ATTACHMENT_KINDS[a.kind] || a.kind),
    h('td.num', null, `第 ${a.version} 版`, a.current ? h('span.muted', null, '（当前）') : null),
    h('td', null, h('button.link', { type: 'button', onclick: () => openAttachment(a, msg) }, a.originalName)),
    h('td', null, fileTypeName(a.mime)),
    h('td.num', null, `${(a.size / 1024).toFixed(1)} KB`),
    h('td.nowrap', null, when(a.createdAt))));
  return h('section.card', { id: 'attachments', 'aria-labelledby': 'attachments-title' },
    h('h2', { id: 'attachments-title' }, '附件'),
    table(['类别', '版本', '文件', '文件类型', '大小', '上传时间'], rows, '尚未上传附件。'),
    h('p', null, msg),
    editable ? uploadForm(entry, rerender) : null);
}

function uploadForm(entry, rerender) {
  const kind = select({ id: 'upload-kind', name: 'kind', 'data-field': 'kind' }, Object.entries(ATTACHMENT_KINDS), 'report');
  const file = h('input', { id: 'upload-file', name: 'file', type: 'file', 'data-field': 'file', accept: '.pdf,.pptx,.docx,.xlsx,.png,.jpg,.jpeg' });
  const summary = summaryBox();
  const form = h('form', { id: 'upload-form', 'aria-labelledby': 'upload-title' },
    h('h3', { id: 'upload-title' }, '上传附件'), summary,
    h('div.grid2', null, field('附件类别', kind), field('文件', file, KIND_HINT)),
    h('div.actions', null, h('button.primary', { type: 'submit', id: 'upload-submit' }, '上传')));
  onSubmit(form, summary, async () => {
    try {
      const a = await uploadFile(entry.id, kind.value, file.files[0]);
      await rerender(`已上传${ATTACHMENT_KINDS[a.kind]}「${a.originalName}」（第 ${a.version} 版）。`);
    } catch (err) {
      // Size and type refusals (413, 415) name no field: they concern the file.
      if (!err.errors.length && err.status !== 401) err.errors = [{ field: 'file', message: err.message }];
      throw err;
    }
  });
  return form;
}

/**
 * Submit / resubmit (with what blocks it) and withdraw, each after a confirmation.
 * @param {Schemas['EntryDetailResponse']} entry
 * @param {Schemas['ContestResponse']} contest
 */
function actionsCard(entry, contest, rerender) {
  const resubmit = entry.status === 'returned';
  const submittable = canEdit(entry.status, contest.phase);
  const withdrawable = canWithdraw(entry.status, contest.phase);
  if (!submittable && !withdrawable) return null;
  // What the API says still blocks submission (each missing field, the report), then the window.
  const blockers = submittable ? (entry.missing || []).map((m) => m.message) : [];
  if (entry.status === 'draft' && !submissionOpen(contest)) blockers.push(`不在申报时间内（截止 ${when(contest.submissionClosesAt)}）`);
  const summary = summaryBox();
  const act = async (path, body, msg) => {
    summary.replaceChildren();
    try { await api('POST', `/entries/${entry.id}/${path}`, body); await rerender(msg); } catch (err) {
      if (err.status !== 401) { summary.replaceChildren(notice(err.message, 'error')); summary.focus(); }
    }
  };
  const submit = h('button.primary', { type: 'button', id: 'submit-entry' }, resubmit ? '重新提交' : '提交申报');
  submit.addEventListener('click', async () => {
    const ok = await confirmDialog(resubmit ? '确认重新提交' : '确认提交申报', [
      `成果：${entry.title}`,
      resubmit ? '重新提交后将由组委会再次初审，提交后不能再修改。' : '提交后将交由推荐单位推荐，成果信息和附件不能再修改（被退回修改时除外）。',
    ], resubmit ? '确认重新提交' : '确认提交');
    if (ok) await act('submit', undefined, resubmit ? '已重新提交，等待组委会复审。' : '已提交申报，等待推荐单位推荐。');
  });
  const withdraw = h('button', { type: 'button', id: 'withdraw-entry' }, '撤回申报');
  withdraw.addEventListener('click', async () => {
    const reason = h('textarea', { id: 'withdraw-reason', rows: 2, maxlength: 500 });
    const ok = await confirmDialog('确认撤回申报', [`撤回「${entry.title}」后不能恢复，需要时请重新申报。`, field('撤回原因（可选）', reason)], '确认撤回');
    if (ok) await act('withdraw', /** @satisfies {Schemas['WithdrawEntryDto']} */ ({ reason: reason.value.trim() || undefined }), '已撤回申报。');
  });
  return h('section.card', { id: 'submit-panel', 'aria-labelledby': 'submit-title' },
    h('h2', { id: 'submit-title' }, resubmit ? '重新提交' : '提交与撤回'), summary,
    blockers.length ? h('div.notice.warn', { id: 'submit-blockers' }, h('p', null, '提交前请处理：'), h('ul', null, blockers.map((b) => h('li', null, b)))) : null,
    h('div.actions', null, withdrawable ? withdraw : null, submittable ? submit : null));
}

/** @param {Schemas['EntryScheduleResponse']} s */
function scheduleCard(s, contestId) {
  const out = h('span', { role: 'status' });
  // Every slot of the enterprise's own entries in the contest, as an iCalendar file (issue 13).
  const calendar = s.session && s.startsAt ? h('p', null, actionButton('下载本企业现场发表日程（.ics，可导入日历）', { id: 'download-calendar' }, out,
    () => download(() => blob(`/contests/${contestId}/schedule.ics`), '现场发表日程.ics')), ' ', out) : null;
  const body = s.session
    ? h('dl.facts', { id: 'schedule-facts' },
      h('dt', null, '场次'), h('dd', null, s.session.name),
      h('dt', null, '地点'), h('dd', null, s.session.venue || '待定'),
      h('dt', null, '发表时间'), h('dd', null, when(s.startsAt || s.session.startsAt)),
      h('dt', null, '发表顺序'), h('dd', null, s.position ? `第 ${s.position} 位` : '尚未抽签'),
      h('dt', null, '时长'), h('dd', null, `发表 ${s.session.slotMinutes} 分钟，提问答辩 ${s.session.qaMinutes} 分钟`),
      h('dt', null, '签到'), h('dd', null, ATTENDANCE[s.attendance] || '—'))
    : notice('尚未安排现场发表。');
  return h('section.card', { id: 'schedule', 'aria-labelledby': 'schedule-title' }, h('h2', { id: 'schedule-title' }, '现场发表安排'), body, calendar);
}

