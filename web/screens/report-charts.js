// Charts of the year's report as inline SVG built with DOM APIs (as the quality report's): each has
// a <title> and a <desc> stating its figures, and the screens put the same figures in a table
// beside it. Horizontal bars (counts by unit, industry, type), stacked bars (awards by level),
// columns (score distribution) and lines (year on year).
import { h, table } from '../ui.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element (attributes set as attributes; text children as text). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

function chart(id, title, desc, width, height, ...content) {
  return s('svg', { id, class: 'rs-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d` },
    s('title', { id: `${id}-t` }, title), s('desc', { id: `${id}-d` }, desc), ...content);
}

const short = (text, n = 10) => (text.length > n ? text.slice(0, n - 1) + '…' : text);
export const LEVEL_COLORS = { first: '#b91c1c', second: '#d97706', third: '#2563eb', excellence: '#64748b' };
const LEVEL_NAMES = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖' };
const WIDTH = 560;
const LEFT = 150;
const RIGHT = 50;
const ROW = 24;

/** Horizontal bars: rows [{ label, count }]. */
export function barChart(id, title, rows, unit = '项') {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const x = (v) => LEFT + (v / max) * (WIDTH - LEFT - RIGHT);
  const height = rows.length * ROW + 10;
  return chart(id, title, `${rows.map((r) => `${r.label} ${r.count} ${unit}`).join('；')}。`, WIDTH, height,
    rows.map((r, i) => {
      const y = 5 + i * ROW;
      return s('g', { 'data-key': r.key },
        s('text', { x: LEFT - 8, y: y + ROW / 2 + 4, 'text-anchor': 'end' }, short(r.label)),
        s('rect', { x: LEFT, y: y + 4, width: Math.max(1, x(r.count) - LEFT), height: ROW - 8, fill: '#2563eb', 'data-value': r.count }, s('title', null, `${r.label}：${r.count} ${unit}`)),
        s('text', { x: x(r.count) + 6, y: y + ROW / 2 + 4 }, String(r.count)));
    }));
}

/** Stacked horizontal bars by award level: rows [{ label, first, second, third, excellence, total }]. */
export function levelChart(id, title, rows) {
  const max = Math.max(1, ...rows.map((r) => r.total));
  const scale = (v) => (v / max) * (WIDTH - LEFT - RIGHT);
  const height = rows.length * ROW + 34;
  const legend = Object.entries(LEVEL_NAMES).map(([l, name], i) => s('g', null,
    s('rect', { x: LEFT + i * 80, y: rows.length * ROW + 14, width: 12, height: 12, fill: LEVEL_COLORS[l] }),
    s('text', { x: LEFT + i * 80 + 16, y: rows.length * ROW + 24 }, name)));
  return chart(id, title, `${rows.map((r) => `${r.label}：${Object.entries(LEVEL_NAMES).map(([l, n]) => `${n} ${r[l]}`).join('，')}，合计 ${r.total} 项`).join('；')}。`, WIDTH, height,
    rows.map((r, i) => {
      const y = 5 + i * ROW;
      let at = LEFT;
      return s('g', { 'data-key': r.key },
        s('text', { x: LEFT - 8, y: y + ROW / 2 + 4, 'text-anchor': 'end' }, short(r.label)),
        Object.keys(LEVEL_NAMES).map((l) => {
          const w = scale(r[l]);
          const rect = w > 0 ? s('rect', { x: at, y: y + 4, width: w, height: ROW - 8, fill: LEVEL_COLORS[l], 'data-level': l }, s('title', null, `${r.label} ${LEVEL_NAMES[l]}：${r[l]} 项`)) : null;
          at += w;
          return rect;
        }),
        s('text', { x: at + 6, y: y + ROW / 2 + 4 }, String(r.total)));
    }), legend);
}

/** Columns: bins [{ from, to, count }] (percent of the rubric's maximum). */
export function columnChart(id, title, bins) {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const height = 200;
  const base = 170;
  const w = (WIDTH - 60) / bins.length;
  return chart(id, title, `得分占满分的比例区间与评分表张数：${bins.map((b) => `${b.from}–${b.to}% ${b.count} 张`).join('；')}。`, WIDTH, height,
    s('line', { class: 'axis', x1: 40, x2: WIDTH - 20, y1: base, y2: base }),
    bins.map((b, i) => {
      const hgt = (b.count / max) * (base - 20);
      const x = 40 + i * w;
      return s('g', null,
        s('rect', { x: x + 3, y: base - hgt, width: w - 6, height: Math.max(0, hgt), fill: '#0f766e', 'data-value': b.count }, s('title', null, `${b.from}–${b.to}%：${b.count} 张`)),
        b.count ? s('text', { x: x + w / 2, y: base - hgt - 4, 'text-anchor': 'middle' }, String(b.count)) : null,
        s('text', { x: x + w / 2, y: base + 16, 'text-anchor': 'middle' }, `${b.from}`));
    }));
}

/** Lines over the years: series [{ name, color, values[] }] against labels (years). */
export function lineChart(id, title, labels, series) {
  const max = Math.max(1, ...series.flatMap((x) => x.values));
  const height = 220;
  const base = 180;
  const step = labels.length > 1 ? (WIDTH - 120) / (labels.length - 1) : 0;
  const x = (i) => 60 + i * step;
  const y = (v) => base - (v / max) * (base - 20);
  return chart(id, title, `${series.map((sr) => `${sr.name}：${labels.map((l, i) => `${l}年 ${sr.values[i]}`).join('，')}`).join('；')}。`, WIDTH, height,
    s('line', { class: 'axis', x1: 40, x2: WIDTH - 20, y1: base, y2: base }),
    labels.map((l, i) => s('text', { x: x(i), y: base + 16, 'text-anchor': 'middle' }, `${l}`)),
    series.map((sr, k) => s('g', { 'data-series': sr.name },
      s('polyline', { points: sr.values.map((v, i) => `${x(i)},${y(v)}`).join(' '), fill: 'none', stroke: sr.color, 'stroke-width': 2 }),
      sr.values.map((v, i) => s('circle', { cx: x(i), cy: y(v), r: 4, fill: sr.color }, s('title', null, `${labels[i]}年 ${sr.name}：${v}`))),
      s('text', { x: WIDTH - 110 + 0, y: 14 + k * 16, fill: sr.color }, `— ${sr.name}`))));
}

/** A chart and its data table in one figure. */
export function figure(caption, svg, headers, rows, attrs = null) {
  return h('figure.report-figure', attrs, h('figcaption', null, caption), svg,
    h('details', { open: true }, h('summary', null, '数据表'), table(headers, rows.map((r) => h('tr', null, r.map((c, i) => h(i === 0 ? 'td' : 'td.num', null, c === null || c === undefined ? '—' : String(c))))))));
}
