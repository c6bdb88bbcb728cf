// An enterprise registers itself (no login): its recommending unit (GET /public/units), name, USCC
// (checked as typed by web/uscc.js, the API decides), contact, and its first account. The API answers
// the same 202 message whether or not the USCC or username already exists (it reveals no account), so
// this page shows that message and how to learn the outcome: log in, and the portal shows the state.
import { api, get } from '../api.js';
import { field, h, mount, notice, onSubmit, summaryBox } from '../ui.js';
import { validateUscc } from '../uscc.js';
/** @typedef {import('../api.js').Schemas} Schemas */

const PASSWORD_RULE = '至少 8 位，且不易被猜到：不要使用常见密码、单词、姓名、生日、键盘顺序或重复字符，也不要包含用户名或企业名称。可用几个不相关的词、数字和符号组合，例如“蓝色-海河-灯笼-42”。';

export async function registerScreen() {
  mount(h('h1', null, '企业注册'), h('p.muted', null, '正在加载…'));
  /** @type {Schemas['PublicUnitResponse'][]} */
  let units;
  try { units = await get('/public/units'); } catch (err) { mount(h('h1', null, '企业注册'), notice(err.message, 'error')); return; }

  const input = (name, attrs = {}) => h('input', { id: 'reg-' + name.replace(/\./g, '-'), name, 'data-field': name, ...attrs });
  const c = {
    unit: h('select', { id: 'reg-enterprise-defaultUnitId', name: 'enterprise.defaultUnitId', 'data-field': 'enterprise.defaultUnitId', required: true },
      h('option', { value: '' }, '请选择推荐单位'), units.map((u) => h('option', { value: String(u.id) }, u.name))),
    name: input('enterprise.name', { maxlength: 200, required: true, autocomplete: 'organization' }),
    uscc: input('enterprise.uscc', { maxlength: 18, required: true, autocomplete: 'off', spellcheck: false, class: 'mono' }),
    industry: input('enterprise.industry', { maxlength: 50 }),
    address: input('enterprise.address', { maxlength: 200, autocomplete: 'street-address' }),
    contactPerson: input('enterprise.contactPerson', { maxlength: 50, autocomplete: 'name' }),
    phone: input('enterprise.phone', { maxlength: 32, type: 'tel', autocomplete: 'tel' }),
    username: input('account.username', { maxlength: 64, required: true, autocomplete: 'username' }),
    displayName: input('account.displayName', { maxlength: 100, required: true }),
    password: input('account.password', { type: 'password', maxlength: 200, required: true, autocomplete: 'new-password' }),
    password2: h('input', { id: 'reg-password2', name: 'password2', 'data-field': 'password2', type: 'password', maxlength: 200, required: true, autocomplete: 'new-password' }),
  };
  const summary = summaryBox();
  const usccMsg = h('p.field-note', { id: 'reg-uscc-check', 'aria-live': 'polite' });
  const star = (label) => [label, h('span.req', { 'aria-hidden': 'true' }, ' *')];
  const form = h('form.card', { id: 'register-form', 'aria-labelledby': 'register-title' },
    h('h1', { id: 'register-title' }, '企业注册'),
    h('p', null, '企业可在此自行注册，经推荐单位或组委会审核通过后即可在线申报攻关成果。标 * 的为必填项。'),
    summary,
    h('fieldset.plain', null, h('legend', null, h('h2', null, '企业信息')),
      field(star('推荐单位'), c.unit, '企业通过该单位申报成果，由该单位或组委会审核注册'),
      field(star('企业名称'), c.name),
      field(star('统一社会信用代码'), c.uscc, '18 位，字母大写，见营业执照'),
      usccMsg,
      h('div.grid2', null, field('所属行业', c.industry), field('地址', c.address)),
      h('div.grid2', null, field('联系人', c.contactPerson), field('联系电话', c.phone))),
    h('fieldset.plain', null, h('legend', null, h('h2', null, '登录账号')),
      h('div.grid2', null, field(star('用户名'), c.username, '字母、数字、点、下划线或连字符，3–64 位'), field(star('显示名称'), c.displayName)),
      field(star('密码'), c.password, PASSWORD_RULE),
      field(star('确认密码'), c.password2)),
    h('div.actions', null, h('button.primary', { type: 'submit', id: 'register-submit' }, '提交注册')),
    h('p.muted', null, '已有账号？', h('a', { href: '#/login' }, '登录'), '。'));

  // The USCC as typed: said at once (no upper-casing behind the user's back; the API checks the same).
  const checkUscc = () => {
    const v = c.uscc.value;
    if (!v) { usccMsg.textContent = ''; usccMsg.className = 'field-note'; return true; }
    const r = validateUscc(v);
    usccMsg.textContent = r.valid ? '✓ 统一社会信用代码格式和校验码正确' : r.message + (r.code === 'uscc_lowercase' ? '（请改为大写字母）' : '');
    usccMsg.className = 'field-note ' + (r.valid ? 'ok' : 'bad');
    return r.valid;
  };
  c.uscc.addEventListener('input', checkUscc);
  c.uscc.setAttribute('aria-describedby', [c.uscc.getAttribute('aria-describedby'), 'reg-uscc-check'].filter(Boolean).join(' '));
  c.uscc.dataset.describedby = c.uscc.getAttribute('aria-describedby');

  onSubmit(form, summary, async () => {
    const local = [];
    const r = validateUscc(c.uscc.value);
    if (!r.valid) local.push({ field: 'enterprise.uscc', message: r.message });
    if (c.password.value !== c.password2.value) local.push({ field: 'password2', message: '两次输入的密码不一致' });
    if (local.length) throw { message: '请更正标出的内容', errors: local };
    const opt = (el) => el.value.trim() || undefined;
    /** @type {Schemas['RegistrationReceipt']} */
    const res = await api('POST', '/public/enterprises/register', /** @satisfies {Schemas['RegisterEnterpriseDto']} */ ({
      enterprise: {
        name: c.name.value, uscc: c.uscc.value, defaultUnitId: c.unit.value ? Number(c.unit.value) : undefined,
        industry: opt(c.industry), address: opt(c.address), contactPerson: opt(c.contactPerson), phone: opt(c.phone),
      },
      account: { username: c.username.value.trim(), displayName: c.displayName.value, password: c.password.value },
    }));
    const done = h('section.card', { id: 'register-done', 'aria-labelledby': 'register-done-title', tabindex: '-1' },
      h('h1', { id: 'register-done-title' }, '注册申请已提交'),
      notice(res.message, 'ok'),
      h('h2', null, '如何查看审核状态'),
      h('p', null, '用注册时设置的用户名和密码', h('a', { href: '#/login', id: 'register-login' }, '登录'),
        '即可查看：审核期间“我的申报”页面显示“注册审核中”，审核通过后即可新建申报。'));
    mount(done);
    done.focus();
  });
  mount(form);
  c.unit.focus();
}
