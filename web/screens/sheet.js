// @ts-check
// The expert's score sheet: marks per rubric item, running total, autosave of the draft that
// survives a dropped connection and a reload (kept in localStorage per user + entry + stage and
// sent when the network returns), submission after a confirmation, a locked view afterwards.
import { api, blob, get, session } from '../api.js';
/** @typedef {import('../api.js').Schemas} Schemas */
import { confirmDialog, flash, h, mount, notice, setPrintHead, showErrors, STAGES, takeFlash, when } from '../ui.js';

const SAVE_DELAY_MS = 600;
const RETRY_MS = 5000;

const ZH_DIGITS = ['零', '一', '两', '三', '四'];

/**
 * A mark as typed → tenths of a point, with the API's rule (rubric.markDecimals, 1: '12.5' → 125):
 * '' → null; { error } for what is not a number, or has more decimals than allowed (trailing zeros
 * do not count: 12.50 is the number 12.5, which the API takes too).
 */
function tenths(raw, decimals = 1) {
  const s = String(raw ?? '').trim();
  if (s === '') return null;
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return { error: '请输入不小于 0 的数字' };
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) return { error: decimals === 0 ? '分数只能是整数' : `分数最多保留${ZH_DIGITS[decimals] ?? decimals}位小数（如 12.5）` };
  return Math.round(Number(`${m[1]}.${frac || '0'}`) * 10);
}
const pts = (t) => (t / 10).toFixed(1).replace(/\.0$/, '');

export async function sheetScreen(entryId, stage) {
  const user = session.user;
  const draftKey = `qc.draft.${user.id}.${entryId}.${stage}`;
  const cacheKey = `qc.sheet.${user.id}.${entryId}.${stage}`;
  const back = h('p.no-print', null, h('a', { href: '#/expert' }, '← 返回我的评审任务'));

  /** @type {Schemas['MySheetResponse']} */
  let sheet;
  let fromCache = false;
  try {
    sheet = await get(`/entries/${entryId}/sheets/${stage}/mine`);
    localStorage.setItem(cacheKey, JSON.stringify(sheet));
  } catch (err) {
    const cached = localStorage.getItem(cacheKey);
    if (err.offline && cached) {
      sheet = JSON.parse(cached);
      fromCache = true;
    } else {
      if (err.status === 401) return;
      mount(back, h('h1', null, '评分表'), notice(err.message, 'error'));
      return;
    }
  }

  const readLocal = () => { try { return JSON.parse(localStorage.getItem(draftKey) || 'null'); } catch { return null; } };
  if (sheet.status === 'submitted') {
    if (!fromCache) localStorage.removeItem(draftKey);
    return renderLocked(sheet, back, fromCache);
  }

  const items = sheet.rubric.items;
  // The precision the API accepts; a sheet cached before it said so had tenths (1 decimal).
  const decimals = sheet.rubric.markDecimals ?? 1;
  const local = readLocal();
  /** Raw input text per item (what the expert typed), the source of truth on this device. */
  const raw = {};
  for (const it of items) raw[it.key] = local?.marks?.[it.key] ?? (sheet.marks[it.key] ?? '');
  /** Optional comment per item, kept and sent like the marks. */
  const notes = {};
  for (const it of items) notes[it.key] = local?.comments?.[it.key] ?? (sheet.comments?.[it.key] ?? '');
  let lockVersion = sheet.lockVersion;
  let dirty = !!local;
  let edits = 0;
  let saving = false;
  /** Ends when the draft save in flight has ended: a submit waits for it (and its new lockVersion) rather than racing it into a 409. */
  let saved = Promise.resolve();
  /** A submit is under way: no draft save starts meanwhile. */
  let submitting = false;
  let again = false;
  let timer = null;
  let retry = null;
  let closed = false;

  // A note on where the sheet came from; it goes once the server has the marks.
  const banner = h('div', { id: 'sheet-banner' },
    fromCache ? notice('网络不可用：显示本机保存的评分表，修改会在网络恢复后自动保存。', 'warn') : null,
    local && !fromCache ? notice('已恢复本机尚未同步的修改，正在保存。', 'info') : null);
  const state = h('p.save-state', { id: 'save-state', role: 'status', 'aria-live': 'polite' });
  const setState = (kind, text) => { state.dataset.state = kind; state.textContent = text; };
  const summary = h('div', { 'aria-live': 'assertive' });
  const total = h('output.total', { id: 'sheet-total', for: items.map((i) => 'mark-' + i.key).join(' ') });
  const submitBtn = h('button.primary', { type: 'submit', id: 'sheet-submit' }, '提交评分');
  const nextBtn = h('button', { type: 'submit', id: 'sheet-submit-next' }, '提交并评下一项');
  /** How many sheets of this contest are still to submit (this one included); filled in after the sheet shows. */
  const pendingOut = h('span.pending-count', { id: 'pending-count', role: 'status' });

  const rows = items.map((it) => {
    const id = 'mark-' + it.key;
    const input = h('input', {
      id, name: it.key, type: 'number', inputmode: 'decimal', step: String(10 ** -decimals), min: '0', max: String(it.max), autocomplete: 'off',
      value: raw[it.key] === null ? '' : String(raw[it.key]), 'data-field': 'marks.' + it.key,
      'aria-describedby': id + '-desc', 'data-describedby': id + '-desc',
    });
    input.addEventListener('input', () => { raw[it.key] = input.value; edited(); });
    // A wheel or trackpad over a focused number field would step the mark: let go of the field, so the wheel scrolls the page.
    input.addEventListener('wheel', () => { if (document.activeElement === input) input.blur(); }, { passive: true });
    const noteId = 'comment-' + it.key;
    const note = h('textarea.comment', { id: noteId, name: noteId, rows: 1, maxlength: 500, value: notes[it.key], 'data-field': 'comments.' + it.key });
    note.addEventListener('input', () => { notes[it.key] = note.value; edited(); });
    const row = h('div.field.item', null,
      h('label', { for: id }, it.title, h('span.max', null, `（满分 ${it.max} 分）`)),
      h('p.desc', { id: id + '-desc' }, it.description),
      input,
      h('div.comment-field', null, h('label.small', { for: noteId }, `${it.title}：评语（可选）`), note));
    // The whole row is the touch target: a tap anywhere outside the comment puts the cursor in the mark.
    row.addEventListener('click', (ev) => { if (!ev.target.closest('input, textarea, label, a, button')) input.focus(); });
    return row;
  });

  const form = h('form.card.sheet', { novalidate: true }, summary, ...rows,
    h('div.sheet-foot', { id: 'sheet-foot' }, h('p', null, '合计 ', total, ` / ${sheet.rubric.maxTotal} 分`), state, pendingOut, nextBtn, submitBtn));

  /** Client-side checks (the server checks again): returns marks in points, or null with errors shown. */
  function collect(requireAll) {
    const errors = [];
    /** @type {{ [key: string]: number | null }} */
    const marks = {};
    for (const it of items) {
      const t = tenths(raw[it.key], decimals);
      const field = 'marks.' + it.key;
      if (t === null) { if (requireAll) errors.push({ field, message: '请填写此项分数' }); marks[it.key] = null; }
      else if (typeof t === 'object') errors.push({ field, message: t.error });
      else if (t > Math.round(it.max * 10)) errors.push({ field, message: `不能超过满分 ${it.max} 分` });
      else marks[it.key] = t / 10;
    }
    if (errors.length) { showErrors(form, { message: '请检查标出的评分项', errors }, summary); return null; }
    showErrors(form, null, summary);
    return marks;
  }

  /** Comments as the API takes them: trimmed, empty ones left out (an empty map clears them). */
  /** @returns {{ [key: string]: string }} */
  function comments() {
    return Object.fromEntries(items.map((it) => [it.key, String(notes[it.key] ?? '').trim()]).filter(([, v]) => v));
  }

  function updateTotal() {
    let sum = 0;
    let done = 0;
    for (const it of items) {
      const t = tenths(raw[it.key], decimals);
      if (typeof t === 'number') { sum += t; done++; }
    }
    total.textContent = pts(sum);
    total.title = `已评 ${done}/${items.length} 项`;
    submitBtn.disabled = done !== items.length;
    nextBtn.disabled = submitBtn.disabled;
  }

  function persist() {
    localStorage.setItem(draftKey, JSON.stringify({ marks: raw, comments: notes, lockVersion, savedAt: new Date().toISOString() }));
  }

  function edited() {
    dirty = true;
    edits++;
    persist();
    updateTotal();
    setState('pending', navigator.onLine ? '正在保存…' : '未同步，网络恢复后自动保存');
    clearTimeout(timer);
    timer = setTimeout(sync, SAVE_DELAY_MS);
  }

  function scheduleRetry() {
    clearTimeout(retry);
    retry = setTimeout(sync, RETRY_MS);
  }

  async function sync() {
    if (closed || submitting || !dirty) return;
    if (saving) { again = true; return; }
    const marks = collect(false);
    if (!marks) { setState('invalid', '有未通过检查的分数，修改后自动保存'); return; }
    saving = true;
    let ended = () => {};
    saved = new Promise((ok) => { ended = ok; });
    const sent = edits;
    setState('saving', '正在保存…');
    try {
      /** @type {Schemas['SheetResponse']} */
      const res = await api('PUT', `/entries/${entryId}/sheets/${stage}/draft`, /** @satisfies {Schemas['SaveSheetDto']} */ ({ marks, comments: comments(), lockVersion }));
      lockVersion = res.lockVersion;
      sheet = { ...sheet, ...res };
      localStorage.setItem(cacheKey, JSON.stringify(sheet));
      if (edits === sent) {
        dirty = false;
        localStorage.removeItem(draftKey);
        banner.replaceChildren();
        setState('saved', `已保存（${when(res.updatedAt)}）`);
      } else {
        persist();
        again = true;
      }
    } catch (err) {
      if (err.offline) { setState('offline', err.status === 503 ? '未同步，服务器恢复后自动保存' : '未同步，网络恢复后自动保存'); scheduleRetry(); }
      else if (err.code === 'stale_version' || err.code === 'sheet_locked') {
        // Saved meanwhile elsewhere (another tab): take the current version and send this device's marks.
        try {
          /** @type {Schemas['MySheetResponse']} */
          const now = await get(`/entries/${entryId}/sheets/${stage}/mine`);
          if (now.status === 'submitted') {
            // Submitted meanwhile (another device): the submitted sheet stands, this device's edits are dropped.
            localStorage.removeItem(draftKey);
            closed = true;
            renderLocked(now, back, false, '这张评分表已在别处提交，本机未同步的修改未被保存。');
            return;
          }
          lockVersion = now.lockVersion;
          again = true;
        } catch { setState('offline', '未同步，网络恢复后自动保存'); scheduleRetry(); }
      } else if (err.status === 401) {
        closed = true; // the draft stays in this browser and is sent after the next login
      } else if (err.status === 400) {
        showErrors(form, err, summary);
        setState('invalid', '有未通过检查的分数，修改后自动保存');
      } else if (err.status >= 500) {
        setState('offline', '未同步，稍后自动重试'); scheduleRetry();
      } else {
        setState('error', '保存失败：' + err.message);
        summary.replaceChildren(notice(err.message, 'error'));
      }
    } finally {
      saving = false;
      ended();
      if (again && !closed) { again = false; void sync(); }
    }
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const goNext = ev.submitter === nextBtn;
    const marks = collect(true);
    if (!marks) { form.querySelector('[aria-invalid]')?.focus(); return; }
    const ok = await confirmDialog('确认提交评分', [
      `《${sheet.entryTitle}》${STAGES[stage]}，合计 ${total.textContent} 分。`,
      '提交后评分表即锁定，不能再修改；如需更正，须由组委会退回。',
    ], '确认提交');
    if (!ok) { (goNext ? nextBtn : submitBtn).focus(); return; }
    clearTimeout(timer);
    clearTimeout(retry);
    submitBtn.disabled = true;
    nextBtn.disabled = true;
    submitting = true;
    await saved;
    if (closed) return; // the save found the sheet submitted elsewhere and showed it
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        /** @type {Schemas['SheetResponse']} */
        const res = await api('POST', `/entries/${entryId}/sheets/${stage}/submit`, /** @satisfies {Schemas['SaveSheetDto']} */ ({ marks, comments: comments(), lockVersion }));
        closed = true;
        localStorage.removeItem(draftKey);
        const done = { ...sheet, ...res };
        localStorage.setItem(cacheKey, JSON.stringify(done));
        if (goNext && (await openNext(done))) return;
        renderLocked(done, back, false);
        return;
      } catch (err) {
        if (err.code === 'stale_version' && attempt === 0) {
          try { lockVersion = (/** @type {Schemas['MySheetResponse']} */ (await get(`/entries/${entryId}/sheets/${stage}/mine`))).lockVersion; continue; } catch { /* fall through */ }
        }
        if (err.status === 401) return;
        if (err.offline) {
          const why = err.status === 503 ? '服务器暂时无法保存' : '网络不可用';
          showErrors(form, { message: `${why}，暂时无法提交；已填写的分数保存在本机，恢复后请再提交。`, errors: [] }, summary);
          if (dirty) scheduleRetry();
        } else showErrors(form, err, summary);
        submitting = false;
        submitBtn.disabled = false;
        nextBtn.disabled = false;
        return;
      }
    }
  });

  const onOnline = () => { if (dirty) void sync(); };
  addEventListener('online', onOnline);
  addEventListener('qc:server-up', onOnline);

  mount(back, header(sheet, stage, entryId), takeFlash(), banner, form, conflictForm(entryId, () => { closed = true; localStorage.removeItem(draftKey); }));
  updateTotal();
  if (dirty) { setState('offline', '未同步，网络恢复后自动保存'); if (navigator.onLine) void sync(); else scheduleRetry(); }
  else setState('saved', sheet.updatedAt ? `已保存（${when(sheet.updatedAt)}）` : '尚未保存');
  // The count is a convenience: left out offline, never in the way of the marks.
  if (!fromCache) {
    pendingSheets(sheet.contestId).then((list) => { if (!closed) pendingOut.textContent = `本次评比待提交 ${list.length} 张`; }, () => {});
  }

  return () => {
    closed = true;
    clearTimeout(timer);
    clearTimeout(retry);
    removeEventListener('online', onOnline);
    removeEventListener('qc:server-up', onOnline);
  };
}

/**
 * The caller's sheets of a contest still to submit, in presentation order (session, then position;
 * material before presentation), absent entries left out.
 */
async function pendingSheets(contestId) {
  // One request (the task list's): sessions of contests being judged, with the caller's sheet states.
  /** @type {Schemas['ExpertTasksResponse']} */
  const tasks = await get('/experts/me/tasks');
  const sessions = tasks.sessions.filter((x) => x.session.contestId === contestId)
    .sort((a, b) => String(a.session.startsAt).localeCompare(String(b.session.startsAt)) || a.session.id - b.session.id);
  const list = [];
  for (const x of sessions) {
    for (const e of [...x.entries].sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9))) {
      if (e.attendance === 'absent') continue;
      /** @type {Set<string>} */
      const done = new Set(e.sheets.filter((s) => s.status === 'submitted').map((s) => s.stage));
      for (const stage of Object.keys(STAGES)) if (!done.has(stage)) list.push({ entryId: e.entryId, stage, title: e.title });
    }
  }
  return list;
}

/**
 * After 「提交并评下一项」: opens the next sheet to do — the same stage of a later entry first, then
 * any other — or the task list when none is left. False when that cannot be worked out (offline).
 */
async function openNext(done) {
  let list;
  try { list = await pendingSheets(done.contestId); } catch { return false; }
  const order = list.map((x) => x.entryId);
  const after = (x) => order.indexOf(x.entryId) > order.indexOf(done.entryId) || !order.includes(done.entryId);
  const next = list.find((x) => x.stage === done.stage && after(x)) || list.find((x) => x.stage === done.stage) || list[0];
  if (!next) {
    flash(`已提交《${done.entryTitle}》${STAGES[done.stage]}评分，本次评比的评分表已全部提交。`);
    location.hash = '#/expert';
  } else {
    flash(`已提交《${done.entryTitle}》${STAGES[done.stage]}评分（合计 ${done.total} 分），接着评《${next.title}》${STAGES[next.stage]}。`);
    location.hash = `#/expert/sheet/${next.entryId}/${next.stage}`;
  }
  return true;
}

function header(sheet, stage, entryId) {
  const other = stage === 'material' ? 'presentation' : 'material';
  const report = h('button', { type: 'button', id: 'open-report' }, '查看成果报告');
  const reportMsg = h('span.muted', { role: 'status' });
  report.addEventListener('click', () => openReport(entryId, reportMsg));
  return h('div.sheet-head', null,
    h('h1', null, `评分表：${sheet.entryTitle}`),
    h('p', null, `${STAGES[stage]} · ${sheet.entryType === 'innovation' ? '创新型' : '问题解决型'} · `,
      h('a.no-print', { href: `#/expert/sheet/${entryId}/${other}` }, `切换到${STAGES[other]}`)),
    h('p', null, report, ' ', reportMsg));
}

/** The current report of the entry, fetched with the bearer token and opened as an object URL. */
async function openReport(entryId, msg) {
  msg.textContent = '正在打开…';
  try {
    /** @type {Schemas['AttachmentList']} */
    const list = await get(`/entries/${entryId}/attachments`);
    const current = list.items.filter((a) => a.current);
    const file = current.find((a) => a.kind === 'report') || current[0];
    if (!file) { msg.textContent = '该成果没有上传报告。'; return; }
    const url = URL.createObjectURL(await blob(`/attachments/${file.id}/download`));
    const a = h('a', { href: url, target: '_blank', rel: 'noopener' }, file.originalName);
    const save = h('a', { href: url, download: file.originalName }, '下载');
    msg.replaceChildren('已打开：', a, '（', save, '）');
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10 * 60 * 1000);
  } catch (err) {
    msg.textContent = '无法打开报告：' + err.message;
  }
}

/** A notice that stays on paper (print.css hides the others). */
function printKept(el) {
  el.classList.add('print-keep');
  return el;
}

function renderLocked(sheet, back, fromCache, note) {
  const rows = sheet.rubric.items.map((it) => h('tr', null,
    h('th', { scope: 'row' }, it.title), h('td.num', null, String(sheet.marks[it.key] ?? '—')), h('td.num', null, String(it.max)),
    h('td', null, sheet.comments?.[it.key] ?? '')));
  // On paper (print.css): the head line, the locked state and the expert, without the buttons and notices.
  setPrintHead(`评分表 · ${sheet.entryTitle} · ${STAGES[sheet.stage]}`);
  mount(back, header(sheet, sheet.stage, sheet.entryId),
    fromCache ? notice('网络不可用：显示本机保存的评分表。', 'warn') : null,
    note ? notice(note, 'warn') : null,
    h('div.card', { id: 'sheet-locked' },
      printKept(notice(`已提交，评分表已锁定（${when(sheet.submittedAt)}，第 ${sheet.version} 版）。如需更正，请联系组委会退回。`, 'ok')),
      h('p.print-only', null, `评审专家：${session.user?.displayName ?? ''}`),
      h('div.actions.no-print', null, h('button', { type: 'button', id: 'print-sheet', onclick: () => window.print() }, '打印评分表')),
      h('table', null, h('caption', null, '评分明细'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, '评分项'), h('th.num', { scope: 'col' }, '得分'), h('th.num', { scope: 'col' }, '满分'), h('th', { scope: 'col' }, '评语'))),
        h('tbody', null, rows),
        h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, '合计'), h('td.num', { id: 'locked-total' }, String(sheet.total)), h('td.num', null, String(sheet.rubric.maxTotal)), h('td')))),
      h('p.print-only.paper-sign', null, '评审专家签字：', h('span', null, ''))));
}

/**
 * Declaring a conflict of interest (回避) with this entry: the API removes the assignment, so the
 * sheet is gone afterwards and the expert returns to the task list.
 */
function conflictForm(entryId, onDeclared) {
  const summary = h('div', { 'aria-live': 'assertive' });
  const reason = h('textarea', { id: 'conflict-reason', name: 'reason', rows: 2, maxlength: 500, 'data-field': 'reason' });
  const form = h('form', { id: 'conflict-form' }, summary,
    h('div.field', null, h('label', { for: 'conflict-reason' }, '回避原因'), h('p.desc', null, '与该成果的企业或人员存在利害关系（如任职、亲属、合作）时，请申报回避；申报后本评分表作废，组委会另行安排。'), reason),
    h('div.actions', null, h('button', { type: 'submit' }, '申报回避')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) { showErrors(form, { message: '请填写回避原因', errors: [{ field: 'reason', message: '请填写回避原因' }] }, summary); reason.focus(); return; }
    if (!(await confirmDialog('确认申报回避', ['申报后您将不再评审该成果，已填写的分数作废。'], '确认回避'))) return;
    try {
      await api('POST', `/entries/${entryId}/conflicts`, /** @satisfies {Schemas['DeclareConflictDto']} */ ({ reason: reason.value.trim() }));
      onDeclared();
      flash('已申报回避，该成果已从您的评审任务中移除。');
      location.hash = '#/expert';
    } catch (err) {
      if (err.status !== 401) showErrors(form, err, summary);
    }
  });
  return h('details.card', { id: 'conflict' }, h('summary', null, '需要回避？'), form);
}
