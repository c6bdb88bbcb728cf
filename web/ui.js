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
  return main;
}

export const LEVELS = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖' };
export const STAGES = { material: '材料评审', presentation: '现场发表' };
export const PHASES = { draft: '草稿', open: '征集中', review: '初审中', presentation: '现场发表', finalizing: '汇总中', notice: '公示中', published: '已发布', archived: '已归档' };
export const ATTENDANCE = { pending: '待签到', present: '已签到', absent: '缺席' };

const fmt = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
export function when(iso) { return iso ? fmt.format(new Date(iso)) : '—'; }

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
  let unplaced = [];
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
