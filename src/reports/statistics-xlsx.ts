// The statistics as an Excel workbook: one sheet per table, each with a title row above a bold,
// frozen header row (as the award-list workbook).
import type ExcelJS from 'exceljs';
import { excelJs } from '../common/file-libraries.js';
import { REPORT_LEVEL_NAMES, REPORT_LEVELS } from './statistics-rules.js';
import type { LevelRowDto, StatisticsResponse } from './reports-responses.dto.js';

type Cell = string | number | null;
interface SheetSpec {
  name: string;
  headers: string[];
  widths?: number[];
  rows: Cell[][];
}

function addSheet(wb: ExcelJS.Workbook, title: string, spec: SheetSpec): void {
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 2, xSplit: 0 }] });
  spec.headers.forEach((_, i) => (ws.getColumn(i + 1).width = spec.widths?.[i] ?? (i === 0 ? 30 : 12)));
  ws.mergeCells(1, 1, 1, spec.headers.length);
  const t = ws.getCell(1, 1);
  t.value = `${title}：${spec.name}`;
  t.font = { bold: true, size: 13 };
  const header = ws.getRow(2);
  header.values = spec.headers;
  header.font = { bold: true };
  for (const r of spec.rows) ws.addRow(r);
}

const levelHeaders = (first: string) => [first, ...REPORT_LEVELS.map((l) => REPORT_LEVEL_NAMES[l]), '合计'];
const levelRows = (rows: LevelRowDto[]): Cell[][] => rows.map((r) => [r.label, ...REPORT_LEVELS.map((l) => r[l]), r.total]);

/** Every table of the statistics, a sheet each. */
export function statisticsSheets(st: StatisticsResponse): SheetSpec[] {
  const p = st.participation;
  const sheets: SheetSpec[] = [
    { name: '概况', headers: ['项目', '数值'], widths: [30, 60], rows: [
      ['评比活动', st.contest.name], ['年度', st.contest.year], ['参评企业（家）', p.enterprises], ['推荐单位（家）', p.units], ['申报成果（项）', p.entries],
      ['小组成员（人次）', p.teamMembers], ['平均每项成果小组成员（人）', p.membersPerEntry],
      ...REPORT_LEVELS.map((l): Cell[] => [`${REPORT_LEVEL_NAMES[l]}（项）`, st.awards.counts[l]]), ['优秀推荐单位（家）', st.excellentUnits.length],
      ['总结语', st.summarySentence], ...(st.summaryParagraph ? [['年度总结段落', st.summaryParagraph] as Cell[]] : []),
    ] },
    { name: '按推荐单位', headers: ['推荐单位', '申报成果（项）', '参评企业（家）'], rows: st.entriesByUnit.map((r) => [r.label, r.count, r.enterprises]) },
    { name: '按行业', headers: ['行业', '申报成果（项）'], rows: st.entriesByIndustry.map((r) => [r.label, r.count]) },
    { name: '按成果类型', headers: ['成果类型', '申报成果（项）'], rows: st.entriesByType.map((r) => [r.label, r.count]) },
    { name: '按分组', headers: ['分组', '申报成果（项）'], rows: st.entriesByTrack.map((r) => [r.label, r.count]) },
    { name: '获奖×推荐单位', headers: levelHeaders('推荐单位'), rows: levelRows(st.awards.byUnit) },
    { name: '获奖×行业', headers: levelHeaders('行业'), rows: levelRows(st.awards.byIndustry) },
    { name: '获奖×成果类型', headers: levelHeaders('成果类型'), rows: levelRows(st.awards.byType) },
    { name: '优秀推荐单位', headers: ['名次', '推荐单位', '积分', '获奖成果（项）'], widths: [8, 40, 10, 14], rows: st.excellentUnits.map((u) => [u.place, u.unitName, u.points, u.awardedEntries]) },
  ];
  if (st.review) {
    const r = st.review;
    sheets.push({ name: '材料初审', headers: ['结果', '成果（项）'], rows: [
      ['经初审的成果', r.reviewed], ['一次通过', r.passedFirstTime], ['退回修改后通过', r.returnedThenPassed], ['退回修改待重新提交', r.returnedPending], ['不予通过', r.rejected], ['推荐单位未推荐', r.declined], ['初审通过率', r.passRate],
    ] });
    sheets.push({ name: '初审不合格项', headers: ['检查项', '不合格次数'], rows: r.failedItems.map((f) => [f.label, f.count]) });
  }
  if (st.attendance) sheets.push({ name: '现场发表出勤', headers: ['签到情况', '成果（项）'], rows: [['已签到', st.attendance.present], ['缺席', st.attendance.absent], ['待签到', st.attendance.pending]] });
  if (st.expertWorkload) {
    sheets.push({ name: '专家工作量', headers: ['专家', '评分表（张）', '已提交', '材料评审', '现场发表', '发表至提交平均（分钟）', '最长（分钟）'], widths: [20, 12, 10, 10, 10, 22, 12],
      rows: st.expertWorkload.map((x) => [x.expertName, x.sheets, x.submitted, x.materialSheets, x.presentationSheets, x.meanMinutesToSubmit, x.maxMinutesToSubmit]) });
  }
  if (st.scoreDistribution) {
    sheets.push({ name: '评分分布', headers: ['评审阶段', '得分区间（占满分%）', '评分表（张）'], widths: [14, 22, 14],
      rows: st.scoreDistribution.flatMap((d) => d.bins.map((b): Cell[] => [d.label, `${b.from}–${b.to}`, b.count])) });
  }
  if (st.objections) sheets.push({ name: '异议', headers: ['项目', '件数'], rows: [['收到异议', st.objections.filed], ['已答复', st.objections.answered], ['未答复', st.objections.open], ['经核查调整结果', st.objections.upheld]] });
  if (st.benefits) {
    sheets.push({ name: '经济效益', headers: ['推荐单位', '申报效益的成果（项）', '经济效益（元）', '经济效益（万元）'], widths: [30, 20, 18, 18],
      rows: [...st.benefits.byUnit.map((b): Cell[] => [b.label, b.entries, b.totalYuan, b.totalWanYuan]), ['合计', st.benefits.declaringEntries, st.benefits.totalYuan, st.benefits.totalWanYuan]] });
  }
  sheets.push({ name: '历年对比', headers: ['年度', '评比活动', '申报成果', '增长', '参评企业', '增长', '获奖成果', '增长', '一等奖', '二等奖', '三等奖', '优秀奖', '优秀推荐单位', '初审通过率'], widths: [8, 36],
    rows: st.yearOnYear.map((y) => [y.year, y.name, y.entries, y.growth?.entries.percent ?? null, y.enterprises, y.growth?.enterprises.percent ?? null, y.awards.total, y.growth?.awards.percent ?? null,
      y.awards.first, y.awards.second, y.awards.third, y.awards.excellence, y.excellentUnits, y.passRate]) });
  return sheets;
}

export async function buildStatisticsXlsx(st: StatisticsResponse): Promise<Buffer> {
  const wb = new (await excelJs()).Workbook();
  wb.creator = '质量攻关成果评审系统';
  for (const sheet of statisticsSheets(st)) addSheet(wb, st.contest.name, sheet);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
