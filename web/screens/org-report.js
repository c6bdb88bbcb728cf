// The year's report on the organizer's desk: the statistics with charts and their tables, the year
// on year view, the summary paragraph to copy, the award notice's 文号, and every download (the
// notice as DOCX and PDF — made from the published results only —, the summary text, the workbook).
import { api, blob, get } from '../api.js';
import { actionButton, download, ENTRY_TYPES, field, h, load, mount, notice, onSubmit, summaryBox, table } from '../ui.js';
import { contestHeader, loadContest } from './org-nav.js';
import { barChart, columnChart, figure, levelChart, lineChart } from './report-charts.js';

const LEVEL_HEAD = ['一等奖', '二等奖', '三等奖', '优秀奖', '合计'];
const levelCells = (r) => [r.label, r.first, r.second, r.third, r.excellence, r.total];
const figures = (pairs) => h('dl.report-figures', null, pairs.flatMap(([k, v, id]) => [h('dt', null, k), h('dd', id ? { id } : null, String(v))]));

function participationCard(st) {
  const p = st.participation;
  const r = st.review;
  return h('section.card', { 'aria-labelledby': 'rp-overview' }, h('h2', { id: 'rp-overview' }, '概况'),
    figures([
      ['申报成果', `${p.entries} 项`, 'rp-entries'], ['参评企业', `${p.enterprises} 家`, 'rp-enterprises'], ['推荐单位', `${p.units} 家`, 'rp-units'],
      ['小组成员', `${p.teamMembers} 人次（平均每项 ${p.membersPerEntry} 人）`],
      ...(r ? [['材料初审', `一次通过 ${r.passedFirstTime} 项，退回修改后通过 ${r.returnedThenPassed} 项，不予通过 ${r.rejected} 项，待重新提交 ${r.returnedPending} 项；未推荐 ${r.declined} 项；通过率 ${r.passRate}`, 'rp-review']] : []),
      ...(st.attendance ? [['现场发表', `签到 ${st.attendance.present} 项，缺席 ${st.attendance.absent} 项，待签到 ${st.attendance.pending} 项`, 'rp-attendance']] : []),
      ...(st.objections ? [['异议', `收到 ${st.objections.filed} 件，已答复 ${st.objections.answered} 件，经核查调整结果 ${st.objections.upheld} 件`, 'rp-objections']] : []),
      ...(st.benefits ? [['经济效益', `${st.benefits.declaringEntries} 项成果申报，合计 ${st.benefits.totalWanYuan} 万元`, 'rp-benefits']] : []),
      ['获奖成果', `一等奖 ${st.awards.counts.first} 项，二等奖 ${st.awards.counts.second} 项，三等奖 ${st.awards.counts.third} 项，优秀奖 ${st.awards.counts.excellence} 项`, 'rp-awards'],
      ['优秀推荐单位', `${st.excellentUnits.length} 家`],
    ]));
}

function summaryCard(st) {
  const text = st.summaryParagraph ?? '';
  const area = h('textarea', { id: 'summary-paragraph', rows: 5, readonly: true, 'aria-label': '年度总结段落' }, text);
  const out = h('div', { 'aria-live': 'polite' });
  const copy = actionButton('复制', { id: 'copy-summary' }, out, async () => {
    area.select();
    await navigator.clipboard?.writeText(text).catch(() => document.execCommand('copy'));
    out.replaceChildren(notice('已复制到剪贴板。', 'ok'));
  });
  return h('section.card', { 'aria-labelledby': 'rp-summary' }, h('h2', { id: 'rp-summary' }, '年度总结段落'),
    text ? [h('p', { id: 'summary-sentence' }, st.summarySentence), area, h('div.actions', null, copy), out] : notice('尚未计算评审结果，暂无总结段落。'));
}

function documentCard(contest, st) {
  const d = st.document;
  const summary = summaryBox();
  const num = h('input', { id: 'document-number', name: 'documentNumber', required: true, maxlength: 60, value: d.documentNumber ?? '', placeholder: '如：津滨质量组办〔2020〕5号' });
  const issuer = h('input', { id: 'document-issuer', name: 'issuer', maxlength: 100, value: d.issuer });
  const addressee = h('input', { id: 'document-addressee', name: 'addressee', maxlength: 200, value: d.addressee });
  const form = h('form', { id: 'document-form' }, summary,
    field('文号', num, '获奖通知的发文字号，由组委会设定（记入审计日志）'), field('发文机关', issuer), field('主送', addressee),
    h('div.actions', null, h('button', { type: 'submit' }, '保存')));
  onSubmit(form, summary, async () => {
    await api('PUT', `/contests/${contest.id}/report/document`, { documentNumber: num.value, issuer: issuer.value.trim() || null, addressee: addressee.value.trim() || null });
    await reportScreen(contest.id);
  });
  const out = h('div', { 'aria-live': 'polite' });
  const file = (label, path, name, id) => actionButton(label, { id }, out, () => download(() => blob(path), name));
  const title = `关于公布${contest.year}年度质量攻关优秀成果评选结果的通知`;
  const ready = d.noticeReady;
  return h('section.card', { 'aria-labelledby': 'rp-docs' }, h('h2', { id: 'rp-docs' }, '年度文件'),
    form,
    h('p.muted', null, ready ? '获奖通知依据已发布的评审结果生成（不依据实时数据）。' : '评审结果正式发布并设定文号后，方可生成获奖通知。'),
    h('div.actions', null,
      ready ? file('下载获奖通知（Word）', `/contests/${contest.id}/report/notice.docx`, `${title}.docx`, 'download-notice-docx') : null,
      ready ? file('下载获奖通知（PDF）', `/contests/${contest.id}/report/notice.pdf`, `${title}.pdf`, 'download-notice-pdf') : null,
      st.summaryParagraph ? file('下载总结段落（文本）', `/contests/${contest.id}/report/summary.txt`, `${contest.name}-年度总结.txt`, 'download-summary') : null,
      file('下载统计表（Excel）', `/contests/${contest.id}/statistics.xlsx`, `${contest.name}-统计.xlsx`, 'download-statistics')),
    out);
}

function chartsCard(st) {
  const years = st.yearOnYear;
  const dist = st.scoreDistribution ?? [];
  return h('section.card', { 'aria-labelledby': 'rp-charts' }, h('h2', { id: 'rp-charts' }, '统计图表'),
    h('div.rs-charts', null,
      figure('申报成果：按推荐单位', barChart('chart-units', '申报成果按推荐单位', st.entriesByUnit), ['推荐单位', '成果（项）', '企业（家）'], st.entriesByUnit.map((r) => [r.label, r.count, r.enterprises]), { id: 'fig-units' }),
      figure('申报成果：按行业', barChart('chart-industries', '申报成果按行业', st.entriesByIndustry), ['行业', '成果（项）'], st.entriesByIndustry.map((r) => [r.label, r.count]), { id: 'fig-industries' }),
      figure('申报成果：按成果类型与分组', barChart('chart-tracks', '申报成果按分组', st.entriesByTrack), ['分组', '成果（项）'], [...st.entriesByTrack.map((r) => [r.label, r.count]), ...st.entriesByType.map((r) => [`类型：${r.label}`, r.count])], { id: 'fig-tracks' }),
      figure('获奖：等级 × 成果类型', levelChart('chart-award-types', '获奖等级按成果类型', st.awards.byType), ['成果类型', ...LEVEL_HEAD], st.awards.byType.map(levelCells), { id: 'fig-award-types' }),
      figure('获奖：等级 × 推荐单位', levelChart('chart-award-units', '获奖等级按推荐单位', st.awards.byUnit), ['推荐单位', ...LEVEL_HEAD], st.awards.byUnit.map(levelCells), { id: 'fig-award-units' }),
      figure('获奖：等级 × 行业', levelChart('chart-award-industries', '获奖等级按行业', st.awards.byIndustry), ['行业', ...LEVEL_HEAD], st.awards.byIndustry.map(levelCells), { id: 'fig-award-industries' }),
      ...dist.map((d) => figure(`评分分布：${d.label}（${d.sheets} 张评分表）`, columnChart(`chart-dist-${d.stage}`, `${d.label}评分分布`, d.bins), ['得分占满分（%）', '评分表（张）'], d.bins.map((b) => [`${b.from}–${b.to}`, b.count]), { id: `fig-dist-${d.stage}` })),
      figure('历年对比', lineChart('chart-years', '历年申报与获奖', years.map((y) => y.year), [
        { name: '申报成果', color: '#2563eb', values: years.map((y) => y.entries) },
        { name: '参评企业', color: '#0f766e', values: years.map((y) => y.enterprises) },
        { name: '获奖成果', color: '#b91c1c', values: years.map((y) => y.awards.total) },
      ]), ['年度', '申报成果', '增长', '参评企业', '增长', '获奖成果', '增长', '一/二/三/优秀', '初审通过率'],
      years.map((y) => [`${y.year}`, y.entries, y.growth?.entries.percent ?? '—', y.enterprises, y.growth?.enterprises.percent ?? '—', y.awards.total, y.growth?.awards.percent ?? '—',
        `${y.awards.first}/${y.awards.second}/${y.awards.third}/${y.awards.excellence}`, y.passRate]), { id: 'fig-years' })));
}

function tablesCard(st) {
  const workload = st.expertWorkload ?? [];
  return h('section.card', { 'aria-labelledby': 'rp-tables' }, h('h2', { id: 'rp-tables' }, '明细'),
    h('h3', null, '优秀推荐单位'),
    table(['名次', '推荐单位', '积分', '获奖成果（项）'], st.excellentUnits.map((u) => h('tr', null, h('td.num', null, String(u.place)), h('td', null, u.unitName), h('td.num', null, String(u.points)), h('td.num', null, String(u.awardedEntries)))), '尚无优秀推荐单位。', { id: 'excellent-units-table' }),
    st.review ? [h('h3', null, '初审不合格检查项（退回与不予通过）'), table(['检查项', '次数'], st.review.failedItems.map((f) => h('tr', null, h('td', null, f.label), h('td.num', null, String(f.count)))), '没有不合格的检查项。', { id: 'failed-items' })] : null,
    h('h3', null, '成果类型'),
    table(['成果类型', '成果（项）'], st.entriesByType.map((r) => h('tr', null, h('td', null, ENTRY_TYPES[r.key] ?? r.label), h('td.num', null, String(r.count))))),
    st.expertWorkload ? [h('h3', null, '专家工作量'), table(['专家', '评分表', '已提交', '材料评审', '现场发表', '发表至提交平均（分钟）', '最长（分钟）'], workload.map((x) => h('tr', null,
      h('td', null, x.expertName), ...[x.sheets, x.submitted, x.materialSheets, x.presentationSheets, x.meanMinutesToSubmit ?? '—', x.maxMinutesToSubmit ?? '—'].map((v) => h('td.num', null, String(v))))), '暂无评分表。', { id: 'expert-workload' })] : null,
    st.benefits ? [h('h3', null, '经济效益（按推荐单位）'), table(['推荐单位', '申报成果（项）', '经济效益（万元）'], st.benefits.byUnit.map((b) => h('tr', null, h('td', null, b.label), h('td.num', null, String(b.entries)), h('td.num', null, b.totalWanYuan))), '没有申报经济效益的成果。', { id: 'benefits-table' })] : null);
}

export async function reportScreen(contestId) {
  const data = await load('年度统计与文件', async () => {
    const [contest, st] = await Promise.all([loadContest(contestId), get(`/contests/${contestId}/statistics`)]);
    return { contest, st };
  });
  if (!data) return;
  const { contest, st } = data;
  const status = { computed: '当前计算结果（未公示）', notice: '公示名单', published: '已发布的结果' }[st.awards.status] ?? '尚未计算评审结果';
  mount(...contestHeader(contest, 'report'),
    h('p.muted', { id: 'report-basis' }, `申报、初审、评分数据为实时数据；获奖数据依据${status}${st.awards.version ? `（第 ${st.awards.version} 版）` : ''}。`),
    participationCard(st), summaryCard(st), documentCard(contest, st), chartsCard(st), tablesCard(st));
}
