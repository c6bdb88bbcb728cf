// The organizer's desk: one contest at a time, its screens as tabs under the contest's name.
import { get } from '../api.js';
import { h, PHASES } from '../ui.js';
/** @typedef {import('../api.js').Schemas} Schemas */

export const ORG_TABS = [
  ['', '概览'], ['rules', '规则与评分表'], ['entries', '申报成果'], ['review', '材料初审'], ['setup', '分组与评审组'], ['sessions', '场次与抽签'],
  ['progress', '评分进度'], ['results', '评审结果'], ['quality', '质量分析'], ['report', '年度统计'],
];

/** '#/organizer/contest/7/review' etc.; the progress board keeps its own address. */
export function orgHref(contestId, tab = '') {
  if (tab === 'progress') return `#/organizer/progress/${contestId}`;
  return `#/organizer/contest/${contestId}${tab ? '/' + tab : ''}`;
}

/**
 * The contest's heading and tab bar; `active` is a key of ORG_TABS.
 * @param {Schemas['ContestResponse']} contest
 * @param {string} active
 */
export function contestHeader(contest, active) {
  return [
    h('p.crumbs', null, h('a', { href: '#/organizer' }, '评比活动'), ' / ', contest.name),
    h('h1', null, contest.name, ' ', h('span.badge', { id: 'contest-phase' }, PHASES[contest.phase] || contest.phase)),
    h('nav.tabs', { 'aria-label': '评比活动管理' }, ORG_TABS.map(([key, label]) =>
      h('a', { href: orgHref(contest.id, key), 'aria-current': key === active ? 'page' : null }, label))),
  ];
}

/**
 * GET /contests/:id (throws ApiError).
 * @returns {Promise<Schemas['ContestResponse']>}
 */
export function loadContest(contestId) { return get(`/contests/${contestId}`); }
