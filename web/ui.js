// Small DOM helpers: no framework, text always set as text (never innerHTML with data).

/** h('div.card', {attrs}, children…): an element; class shorthand after the tag name. */
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name);
  if (classes.length) el.className = classes.join(' ');
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else if (k in el && !k.includes('-') && k !== 'list' && k !== 'form') el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export function mount(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  mounted(main);
  return main;
}

/** @type {(main: HTMLElement) => void} */
let mounted = () => {};
/** What runs each time a screen draws (app.js: a navigation's wait ends when its screen first draws). */
export function onMount(fn) { mounted = fn; }

export const LEVELS = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖' };
export const STAGES = { material: '材料评审', presentation: '现场发表' };
export const PHASES = { draft: '草稿', open: '征集中', review: '初审中', presentation: '现场发表', finalizing: '汇总中', notice: '公示中', published: '已发布', archived: '已归档' };
export const ATTENDANCE = { pending: '待签到', present: '已签到', absent: '缺席' };

// Times are shown and entered in China Standard Time (UTC+8, no daylight saving), the office's time,
// whatever time zone the browser runs in: a deadline reads the same on every screen and in every export.
const CST_OFFSET_MS = 8 * 3600_000;
/**
 * 'YYYY/MM/DD HH:mm' in China Standard Time — what Intl.DateTimeFormat('zh-CN', {…, timeZone:
 * 'Asia/Shanghai'}) prints, by arithmetic: building that formatter loads ICU's locale and time-zone
 * data, 45–220 ms in a fresh tab on the bench machine (×4 on a slow device), on every page's start.
 */
export function when(iso) {
  if (!iso) return '—';
  const s = new Date(new Date(iso).getTime() + CST_OFFSET_MS).toISOString();
  return `${s.slice(0, 4)}/${s.slice(5, 7)}/${s.slice(8, 10)} ${s.slice(11, 16)}`;
}

/** An ISO instant → the value of a datetime-local input ('YYYY-MM-DDTHH:mm'), in China Standard Time. */
export function localOf(iso) {
  return iso ? new Date(Date.parse(iso) + CST_OFFSET_MS).toISOString().slice(0, 16) : '';
}

/** A datetime-local input's value (China Standard Time) → ISO 8601; undefined when empty. */
export function isoOf(local) {
  return local ? new Date(`${local.length === 16 ? local + ':00' : local}+08:00`).toISOString() : undefined;
}

/** A 'YYYY-MM-DD' day in China Standard Time → the ISO instant of its first (or last) second. */
export function cstDayStart(day) { return new Date(`${day}T00:00:00+08:00`).toISOString(); }
export function cstDayEnd(day) { return new Date(`${day}T23:59:59+08:00`).toISOString(); }

/** A message box; kind: info | ok | warn | error. */
export function notice(text, kind = 'info') {
  return h('p.notice.' + kind, { role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** The API error next to the fields it concerns: errors[].field → the element with data-field. */
export function showErrors(form, err, summary) {
  for (const old of form.querySelectorAll('.field-error')) old.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  if (summary) summary.replaceChildren();
  if (!err) return;
  const unplaced = [];
  for (const e of err.errors || []) {
    const input = form.querySelector(`[data-field="${CSS.escape(e.field)}"]`);
    if (!input) { unplaced.push(e.message); continue; }
    const id = input.id + '-error';
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [input.dataset.describedby, id].filter(Boolean).join(' '));
    input.closest('.field')?.append(h('p.field-error', { id, role: 'alert' }, e.message));
  }
  if (summary) summary.replaceChildren(notice([err.message, ...unplaced].join('；'), 'error'));
}

/** An accessible modal confirmation (native <dialog>): resolves true on confirm. */
export function confirmDialog(title, body, okText = '确定') {
  return new Promise((resolve) => {
    const ok = h('button.primary', { type: 'submit', value: 'ok' }, okText);
    const dlg = h('dialog', { 'aria-labelledby': 'dlg-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'dlg-title' }, title),
        ...[].concat(body).map((p) => (p instanceof Node ? p : h('p', null, p))),
        h('div.actions', null, h('button', { type: 'submit', value: 'cancel' }, '取消'), ok)));
    dlg.addEventListener('close', () => { resolve(dlg.returnValue === 'ok'); dlg.remove(); });
    document.body.append(dlg);
    dlg.showModal();
    ok.focus();
  });
}

/** Like confirmDialog, with a required reason (1–500 characters): resolves the trimmed reason, or null when cancelled. */
export function reasonDialog(title, body, label = '原因', okText = '确定') {
  return new Promise((resolve) => {
    const reason = h('textarea', { id: 'dlg-reason', name: 'reason', rows: 3, maxlength: 500, required: true });
    const ok = h('button.primary', { type: 'submit', value: 'ok' }, okText);
    const form = h('form', { method: 'dialog' },
      h('h2', { id: 'dlg-title' }, title),
      ...[].concat(body).map((p) => (p instanceof Node ? p : h('p', null, p))),
      h('div.field', null, h('label', { for: 'dlg-reason' }, label), reason),
      h('div.actions', null, h('button', { type: 'submit', value: 'cancel', formnovalidate: true }, '取消'), ok));
    const dlg = h('dialog', { 'aria-labelledby': 'dlg-title' }, form);
    dlg.addEventListener('close', () => { resolve(dlg.returnValue === 'ok' ? reason.value.trim() : null); dlg.remove(); });
    // A reason of blanks only is no reason: keep the dialog open.
    ok.addEventListener('click', (ev) => { if (!reason.value.trim()) { ev.preventDefault(); reason.value = ''; reason.reportValidity(); } });
    document.body.append(dlg);
    dlg.showModal();
    reason.focus();
  });
}

export const ROLE_NAMES = { admin: '系统管理员', organizer: '组委会', recommender: '推荐单位', enterprise: '企业', expert: '评审专家' };
export const ENTRY_STATUS = {
  draft: '草稿', submitted: '已提交', recommended: '已推荐', declined: '未推荐', returned: '退回修改', resubmitted: '已重新提交',
  passed: '初审通过', rejected: '初审未通过', scheduled: '已安排发表', presented: '已发表', absent: '缺席', scored: '已评分',
  awarded: '获奖', not_awarded: '未获奖', withdrawn: '已撤回',
};
export const ENTRY_TYPES = { problem_solving: '问题解决型', innovation: '创新型' };
export const DECISIONS = { pass: '通过', return: '退回修改', reject: '不予通过' };
export const ATTACHMENT_KINDS = { report: '成果报告', slides: '发表材料', evidence: '证明材料' };

/** File types by mime type, as people call them (文件类型); the types the API accepts, and a fallback. */
export const FILE_TYPES = {
  'application/pdf': 'PDF 文档', 'image/png': 'PNG 图片', 'image/jpeg': 'JPEG 图片',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word 文档',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel 表格',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint 演示文稿',
  'text/csv': 'CSV 表格', 'application/zip': 'ZIP 压缩包',
};
export function fileTypeName(mime) {
  if (FILE_TYPES[mime]) return FILE_TYPES[mime];
  if (String(mime).startsWith('image/')) return '图片';
  return '其他文件';
}

/** A one-time success message shown by the next screen drawn (after a re-render or a navigation). */
export function flash(text) { sessionStorage.setItem('qc.flash', text); }

/** The pending flash message as an ok notice (and forgets it), or null. */
export function takeFlash() {
  const text = sessionStorage.getItem('qc.flash');
  sessionStorage.removeItem('qc.flash');
  return text ? notice(text, 'ok') : null;
}

/**
 * A button running an async action: disabled while it runs; the API's refusal is shown in `out`
 * (which gets the focus when it can take it). Nothing on 401: the app goes to the login.
 */
export function actionButton(label, attrs, out, fn) {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    out.replaceChildren();
    try { await fn(); } catch (err) {
      if (err?.status !== 401) { out.replaceChildren(notice(err.message, 'error')); out.focus(); }
    } finally { b.disabled = false; }
  });
  return b;
}

/**
 * Previous / next page buttons for a page { total, page, pageSize }, ids `<prefix>-prev|at|next`; `go(page)` shows another page.
 * @param {{ total: number, page: number, pageSize: number }} p
 * @param {(page: number) => unknown} go
 */
export function pager(p, go, label, prefix = 'page') {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  if (pages === 1) return null;
  const btn = (text, page, id) => h('button', { type: 'button', id, disabled: page < 1 || page > pages, onclick: () => go(page) }, text);
  return h('nav.pager', { 'aria-label': label },
    btn('上一页', p.page - 1, `${prefix}-prev`), h('span', { id: `${prefix}-at` }, `第 ${p.page} / ${pages} 页`), btn('下一页', p.page + 1, `${prefix}-next`));
}

/**
 * An entry's status timeline (GET /entries/:id/events): from → to, when, who, and the reason.
 * @param {import('./api.js').Schemas['EntryEventResponse'][]} events
 */
export function timelineCard(events) {
  const name = (s) => ENTRY_STATUS[s] || s;
  return h('section.card', { 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, '状态记录'),
    events.length
      ? h('ol.timeline', { id: 'timeline' }, events.map((e) => h('li', { 'data-status': e.toStatus },
        h('strong', null, `${e.fromStatus ? name(e.fromStatus) + ' → ' : ''}${name(e.toStatus)}`),
        h('span.muted', null, ` · ${when(e.createdAt)} · ${e.actorName || ROLE_NAMES[e.actorRole] || '系统'}`),
        e.reason ? h('div.pre', null, e.reason) : null)))
      : notice('暂无记录。'));
}

/** A labelled field: the control must carry an id (and data-field=<API field name> for error placement). */
export function field(label, control, hint) {
  // A searchable select (see searchable) is labelled by its <select>, which keeps its native keyboard.
  const target = control.classList?.contains('searchable') ? control.querySelector('select') : control;
  const hintId = hint ? target.id + '-hint' : null;
  if (hintId) { target.setAttribute('aria-describedby', hintId); target.dataset.describedby = hintId; }
  return h('div.field', null, h('label', { for: target.id }, label), hint ? h('p.desc', { id: hintId }, hint) : null, control);
}

/**
 * A long <select> made searchable: a filter box (typing keeps only the options whose text contains it;
 * the first match is chosen when the current choice no longer matches; ↓ or Enter moves to the list,
 * Esc clears the filter) above the native select, which keeps its label, its keyboard, its value and
 * its change events, so forms read it as before. The number of matches is announced. Lists of up to
 * `min` options stay plain (nothing to search). Design: a native select with a filter rather than an
 * ARIA combobox, because screen readers and touch devices already handle a select well.
 */
export function searchable(select, what = '选项', min = 8) {
  const all = [...select.options].map((o) => ({ value: o.value, label: o.textContent, placeholder: o.value === '' }));
  if (all.filter((o) => !o.placeholder).length <= min) return select;
  const status = h('span.sr-only', { id: `${select.id}-filter-status`, 'aria-live': 'polite' });
  const filter = h('input.searchable-filter', {
    id: `${select.id}-filter`, type: 'search', autocomplete: 'off', placeholder: `输入文字筛选${what}`, 'aria-label': `筛选${what}`,
    'aria-controls': select.id, 'aria-describedby': status.id, disabled: select.disabled,
  });
  const apply = () => {
    const q = filter.value.trim().toLowerCase();
    const current = select.value;
    const shown = all.filter((o) => o.placeholder || !q || o.label.toLowerCase().includes(q));
    select.replaceChildren(...shown.map((o) => h('option', { value: o.value }, o.label)));
    const real = shown.filter((o) => !o.placeholder);
    if (q && real.length && !real.some((o) => o.value === current)) {
      select.value = real[0].value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    } else if (shown.some((o) => o.value === current)) {
      select.value = current;
    }
    select.dataset.matches = String(real.length);
    status.textContent = q ? (real.length ? `匹配 ${real.length} 项` : '没有匹配的选项') : '';
  };
  filter.addEventListener('input', apply);
  filter.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'Enter') { ev.preventDefault(); select.focus(); }
    if (ev.key === 'Escape' && filter.value) { ev.preventDefault(); filter.value = ''; apply(); }
  });
  return h('div.searchable', null, filter, select, status);
}

/** A table: column headers (strings) and rows (<tr> elements); an empty list shows `empty`. */
export function table(headers, rows, empty = '暂无记录。', attrs = null) {
  if (!rows.length) return notice(empty);
  return h('table', attrs,
    h('thead', null, h('tr', null, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows));
}

/**
 * Wires a form's submit: prevents the page submit, disables the submit button while `fn` runs,
 * shows the API's errors next to their fields (data-field) and the message in `summary`, and moves
 * focus to the first invalid field. `fn` returns normally on success.
 */
export function onSubmit(form, summary, fn) {
  form.noValidate = true;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const buttons = [...form.querySelectorAll('button[type="submit"], button:not([type])')];
    for (const b of buttons) b.disabled = true;
    showErrors(form, null, summary);
    try {
      await fn(ev.submitter);
    } catch (err) {
      if (err?.status === 401) return;
      showErrors(form, err, summary);
      (form.querySelector('[aria-invalid]') || summary).focus?.();
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  });
  return form;
}

/** An error summary region for a form (errors not tied to a field, and the API's message). */
export function summaryBox() { return h('div', { 'aria-live': 'assertive', tabindex: '-1' }); }

/**
 * Loads a screen's data: shows the title and "正在加载…", runs `fn`; on failure shows the API's
 * message (nothing on 401: the app goes to the login) and resolves null.
 * @template T
 * @param {string} title
 * @param {() => Promise<T>} fn
 * @returns {Promise<T | null>}
 */
export async function load(title, fn) {
  mount(h('h1', null, title), h('p.muted', null, '正在加载…'));
  try { return await fn(); } catch (err) {
    if (err?.status !== 401) mount(h('h1', null, title), notice(err.message, 'error'));
    return null;
  }
}

/**
 * Saves a file fetched behind the bearer token (xlsx, zip, PDF) under `filename`.
 * @param {() => Promise<Blob>} getBlob
 * @param {string} filename
 */
export async function download(getBlob, filename) {
  const data = await getBlob();
  const url = URL.createObjectURL(data);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The line printed at the top of every page of the current screen (web/css/print.css reads
 * --print-head in an @page margin box); app.js clears it on every route change.
 */
export function setPrintHead(text) {
  document.documentElement.style.setProperty('--print-head', JSON.stringify(String(text)));
}
