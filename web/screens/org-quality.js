// The panel quality report as charts: per panel and stage, how the entries' marks spread (range
// and mean per entry) and how severe each judge is against the panel (mean deviation from the
// panel's mean, bars from a zero line). Inline SVG built with DOM APIs; each chart has a title and
// description, and the same figures are in the tables next to it.
import { get } from '../api.js';
import { h, load, mount, notice, STAGES, table } from '../ui.js';
import { contestHeader, loadContest } from './org-nav.js';
/** @typedef {import('../api.js').Schemas} Schemas */
import { coverageSection } from './expertise.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element (attributes set as attributes; text children as text). */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** A chart: role img, labelled by its <title> and described by its <desc>. */
function chart(id, title, desc, width, height, ...content) {
  return s('svg', { id, class: 'rs-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d` },
    s('title', { id: `${id}-t` }, title), s('desc', { id: `${id}-d` }, desc), ...content);
}

const num = (x) => Number(x);
const fmt = (x, d = 2) => (Math.round(x * 10 ** d) / 10 ** d).toFixed(d);
const short = (text, n = 9) => (text.length > n ? text.slice(0, n - 1) + '…' : text);

/** Tick values covering [lo, hi] in ~5 steps of 1, 2 or 5 × 10^k. */
function ticks(lo, hi) {
  const span = hi - lo || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((m) => m >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step / 1e6; v += step) out.push(Math.round(v / step) * step);
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  return { values: out, label: (v) => v.toFixed(digits) };
}

const ROW = 26;
const LEFT = 130;
const RIGHT = 60;
const WIDTH = 520;
const TOP = 10;

/** A horizontal scale over [lo, hi] widened to round ticks: x(value) and the grid with its labelled axis. */
function scale(lo0, hi0) {
  const { values, label: tl } = ticks(lo0, hi0);
  const lo = Math.min(lo0, values[0]);
  const hi = Math.max(hi0, values.at(-1));
  const x = (v) => LEFT + ((v - lo) / (hi - lo)) * (WIDTH - LEFT - RIGHT);
  const grid = (axisY) => [
    values.map((v) => s('g', null,
      s('line', { class: 'grid', x1: x(v), x2: x(v), y1: TOP - 4, y2: axisY }),
      s('text', { x: x(v), y: axisY + 16, 'text-anchor': 'middle' }, tl(v)))),
    s('line', { class: 'axis', x1: LEFT, x2: WIDTH - RIGHT, y1: axisY, y2: axisY }),
  ];
  return { x, grid };
}

/** Each judge's mean deviation from the panel (points): bars from a zero line, right = more generous. */
/**
 * @param {string} id
 * @param {Schemas['PanelQualityDto']} p
 */
function severityChart(id, p) {
  const values = p.experts.map((x) => num(x.meanDeviation));
  const extent = Math.max(0.1, ...values.map(Math.abs));
  const { x, grid } = scale(-extent, extent);
  const axisY = TOP + p.experts.length * ROW;
  return chart(id, `${label(p)}：评委宽严度`, `各评委评分与本组同一成果平均分之差的平均值（分），正值表示偏宽，负值表示偏严。${p.experts.map((e, i) => `${e.expertName ?? '专家'} ${fmt(values[i])}`).join('；')}。`,
    WIDTH, axisY + 30, grid(axisY),
    p.experts.map((e, i) => {
      const v = values[i];
      const y = TOP + i * ROW;
      return s('g', { 'data-expert': e.expertId },
        s('text', { x: LEFT - 8, y: y + ROW / 2 + 4, 'text-anchor': 'end' }, short(e.expertName ?? `专家 #${e.expertId}`)),
        s('rect', { class: `bar ${v >= 0 ? 'pos' : 'neg'}`, x: x(Math.min(0, v)), y: y + 5, width: Math.max(1, Math.abs(x(v) - x(0))), height: ROW - 10, 'data-value': e.meanDeviation },
          s('title', null, `${e.expertName ?? '专家'}：${v > 0 ? '+' : ''}${fmt(v)} 分`)),
        s('text', { x: WIDTH - RIGHT + 6, y: y + ROW / 2 + 4 }, `${v > 0 ? '+' : ''}${fmt(v)}`));
    }),
    s('line', { class: 'zero', x1: x(0), x2: x(0), y1: TOP - 4, y2: axisY }));
}

/** Each entry's marks at this stage: lowest to highest mark as a line, the mean as a dot. */
/**
 * @param {string} id
 * @param {Schemas['PanelQualityDto']} p
 */
function distributionChart(id, p) {
  const entries = p.entries;
  const lo = Math.min(...entries.map((e) => num(e.min)));
  const hi = Math.max(...entries.map((e) => num(e.max)));
  const pad = Math.max(0.5, (hi - lo) * 0.1);
  const { x, grid } = scale(lo - pad, hi + pad);
  const axisY = TOP + entries.length * ROW;
  return chart(id, `${label(p)}：成果得分分布`, `每项成果的专家评分范围（最低分至最高分）与平均分。${entries.map((e) => `${e.title ?? '成果'} ${e.min}–${e.max}，平均 ${fmt(num(e.mean))}`).join('；')}。`,
    WIDTH, axisY + 30, grid(axisY),
    entries.map((e, i) => {
      const y = TOP + i * ROW + ROW / 2;
      return s('g', { 'data-entry': e.entryId },
        s('text', { x: LEFT - 8, y: y + 4, 'text-anchor': 'end' }, short(e.title ?? `#${e.entryId}`)),
        s('line', { class: 'range', x1: x(num(e.min)), x2: Math.max(x(num(e.max)), x(num(e.min)) + 1), y1: y, y2: y }),
        s('circle', { class: 'mean', cx: x(num(e.mean)), cy: y, r: 5 }, s('title', null, `${e.title ?? '成果'}：${e.min}–${e.max}，平均 ${fmt(num(e.mean))}`)),
        s('text', { x: WIDTH - RIGHT + 6, y: y + 4 }, `极差 ${e.disagreement}`));
    }));
}

const label = (/** @type {Schemas['PanelQualityDto']} */ p) => `${p.panelName ?? p.panel} · ${STAGES[p.stage] || p.stage}`;

/** @param {Schemas['PanelQualityDto']} p */
function kendallText(p) {
  const k = p.kendall;
  if (p.kendallW === null) return `肯德尔和谐系数 W：无法计算（${k.experts} 位专家，${k.entries} 项共同评分成果）。`;
  const level = p.kendallW >= 0.7 ? '一致性较高' : p.kendallW >= 0.4 ? '一致性一般' : '一致性较低';
  return `肯德尔和谐系数 W = ${fmt(p.kendallW, 3)}（${level}；${k.experts} 位专家对 ${k.entries} 项成果的排序${k.tieCorrection ? '，已作并列校正' : ''}）。`;
}

/**
 * @param {Schemas['PanelQualityDto']} p
 * @param {number} i
 */
function panelSection(p, i) {
  const key = `${i}`;
  const experts = table(['专家', '评分份数', '平均分', '标准差', '偏离组均值', '被去最高分', '被去最低分'], p.experts.map((e) => h('tr', { 'data-expert': String(e.expertId) },
    h('td', null, e.expertName ?? `专家 #${e.expertId}`), h('td.num', null, String(e.count)), h('td.num', null, fmt(num(e.mean))), h('td.num', null, fmt(e.stdDev)),
    h('td.num', null, `${num(e.meanDeviation) > 0 ? '+' : ''}${fmt(num(e.meanDeviation))}`), h('td.num', null, String(e.droppedHighest)), h('td.num', null, String(e.droppedLowest)))));
  const entries = table(['成果', '评分份数', '平均分', '最低分', '最高分', '极差'], p.entries.map((e) => h('tr', { 'data-entry': String(e.entryId) },
    h('td', null, e.title ?? `#${e.entryId}`), h('td.num', null, String(e.count)), h('td.num', null, fmt(num(e.mean))),
    h('td.num', null, e.min), h('td.num', null, e.max), h('td.num', null, e.disagreement))));
  return h('section.card', { 'data-panel': p.panel, 'data-stage': p.stage, 'aria-labelledby': `q-${key}` },
    h('h2', { id: `q-${key}` }, label(p)),
    h('p.rs-figures', { 'data-role': 'kendall' }, kendallText(p)),
    h('div.rs-charts', null,
      h('figure', null, h('figcaption', null, '评委宽严度（与本组平均分之差）'), severityChart(`sev-${key}`, p)),
      p.entries.length ? h('figure', null, h('figcaption', null, '成果得分分布（最低—最高，圆点为平均分）'), distributionChart(`dist-${key}`, p)) : null),
    h('h3', null, '评委数据'), experts,
    h('details', null, h('summary', null, `成果数据（${p.entries.length} 项）`), entries));
}

export async function qualityScreen(contestId) {
  const data = await load('质量分析', async () => {
    const [contest, report, coverage] = await Promise.all([loadContest(contestId), get(`/contests/${contestId}/results/quality`), coverageSection(contestId)]);
    return { contest, report, coverage };
  });
  if (!data) return;
  const { contest, report, coverage } = data;
  mount(...contestHeader(contest, 'quality'), coverage,
    h('p.muted', null, `依据已提交的 ${report.sheetCount} 张评分表。本分析仅供参考，不影响任何得分、名次和等级。`),
    report.panels.length ? report.panels.map(panelSection) : notice('还没有已提交的评分表，暂无质量分析。'));
}
