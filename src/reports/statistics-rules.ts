// The year's figures, from facts the statistics queries read (statistics-sql.ts): pure functions,
// no Nest, no TypeORM, no I/O. The summary sentence is the office's own (the seed's), written from
// the published award counts; growth between years is stated as integers and a rounded percentage.
import type { Level } from '../contests/contest-rules.js';

export const REPORT_LEVELS = ['first', 'second', 'third', 'excellence'] as const satisfies readonly Level[];
export const REPORT_LEVEL_NAMES: Record<Level, string> = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖' };
export const ENTRY_TYPE_NAMES: Record<string, string> = { problem_solving: '问题解决型', innovation: '创新型' };
export const STAGE_NAMES: Record<string, string> = { material: '材料评审', presentation: '现场发表' };
/** Entries that take part: everything submitted at least once (a draft or a withdrawn entry does not). */
export const NOT_TAKING_PART = ['draft', 'withdrawn'] as const;

// ---------------------------------------------------------------------------------------------
// Facts (rows of the statistics queries, numbers already converted)

/** One cell of the entries cube: entries of a unit × industry × type × track × status. */
export interface CubeRow {
  unitId: number;
  unitName: string;
  industry: string | null;
  entryType: string | null;
  trackId: number | null;
  trackName: string | null;
  status: string;
  entries: number;
  /** Team members over these entries. */
  members: number;
  /** Economic benefit declared, whole yuan. */
  benefitYuan: number;
  /** Entries declaring a benefit above 0. */
  declaring: number;
}

/** Review outcome per entry, counted: did the entry ever pass / get returned / get rejected. */
export interface ReviewRow {
  passed: boolean;
  returned: boolean;
  rejected: boolean;
  entries: number;
}

export interface WorkloadRow {
  expertId: number;
  expertName: string;
  stage: string;
  sheets: number;
  submitted: number;
}

export interface MinutesRow {
  expertId: number;
  /** Submitted presentation-stage sheets with a slot time. */
  timed: number;
  totalMinutes: number;
  maxMinutes: number;
}

export interface TotalRow {
  stage: string;
  rubricId: number;
  /** Sheet total in tenths of a point. */
  total: number;
  sheets: number;
}

export interface AwardedEntryFact {
  entryId: number;
  level: Level;
  unitName: string;
  industry: string | null;
  entryType: string | null;
}

export interface StatisticsFacts {
  totals: { entries: number; enterprises: number; units: number };
  enterprisesPerUnit: ReadonlyMap<number, number>;
  cube: readonly CubeRow[];
  review: readonly ReviewRow[];
  /** Checklist keys of every non-pass decision that failed, with the checklist's titles. */
  failedKeys: readonly string[];
  checklistTitles: ReadonlyMap<string, string>;
  attendance: ReadonlyMap<string, number>;
  workload: readonly WorkloadRow[];
  minutes: readonly MinutesRow[];
  totalsByStage: readonly TotalRow[];
  /** Rubric id → maximum total in tenths. */
  rubricMax: ReadonlyMap<number, number>;
  awarded: readonly AwardedEntryFact[];
  objections: { filed: number; answered: number; upheld: number };
}

// ---------------------------------------------------------------------------------------------
// Figures

export interface CountRow { key: string; label: string; count: number }
export interface UnitCountRow extends CountRow { enterprises: number }
export type LevelCounts = Record<Level, number> & { total: number };
export interface LevelRow extends LevelCounts { key: string; label: string }

export interface Figures {
  participation: { entries: number; enterprises: number; units: number; teamMembers: number; membersPerEntry: string };
  entriesByUnit: UnitCountRow[];
  entriesByIndustry: CountRow[];
  entriesByType: CountRow[];
  entriesByTrack: CountRow[];
  review: { reviewed: number; passedFirstTime: number; returnedThenPassed: number; returnedPending: number; rejected: number; declined: number; passRate: string; failedItems: CountRow[] };
  attendance: { present: number; absent: number; pending: number };
  expertWorkload: { expertId: number; expertName: string; sheets: number; submitted: number; materialSheets: number; presentationSheets: number; meanMinutesToSubmit: string | null; maxMinutesToSubmit: number | null }[];
  scoreDistribution: { stage: string; label: string; sheets: number; bins: { from: number; to: number; count: number }[] }[];
  awards: { counts: LevelCounts; byUnit: LevelRow[]; byIndustry: LevelRow[]; byType: LevelRow[] };
  objections: { filed: number; answered: number; open: number; upheld: number };
  benefits: { declaringEntries: number; totalYuan: number; totalWanYuan: string; byUnit: { key: string; label: string; entries: number; totalYuan: number; totalWanYuan: string }[] };
}

const NO_INDUSTRY = '未填写行业';
const NO_TRACK = '未分组';

/** a/b as a percentage with one decimal ("93.8%"); "—" when b is 0. Integer arithmetic, half up. */
export function percent(a: number, b: number): string {
  if (b <= 0) return '—';
  const tenths = Math.floor((a * 1000 * 2 + b) / (2 * b)); // round(a/b × 1000) half up, a, b ≥ 0
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

/** a/b with `digits` decimals, half up, for non-negative integers; "0" style when b is 0. */
export function ratio(a: number, b: number, digits = 1): string {
  const scale = 10 ** digits;
  if (b <= 0) return (0).toFixed(digits);
  const scaled = Math.floor((a * scale * 2 + b) / (2 * b));
  return digits ? `${Math.floor(scaled / scale)}.${String(scaled % scale).padStart(digits, '0')}` : String(scaled);
}

/** Whole yuan as 万元 with 2 decimals (truncated to the fen of a 万: 12,345 yuan → "1.23"). */
export function wanYuan(yuan: number): string {
  const hundredths = Math.floor(yuan / 100);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

function countBy<T>(rows: readonly T[], key: (r: T) => string, label: (r: T) => string, n: (r: T) => number): CountRow[] {
  const map = new Map<string, CountRow>();
  for (const r of rows) {
    const k = key(r);
    const row = map.get(k) ?? { key: k, label: label(r), count: 0 };
    row.count += n(r);
    map.set(k, row);
  }
  return [...map.values()].filter((r) => r.count > 0).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'zh-CN') || a.key.localeCompare(b.key));
}

const emptyLevels = (): LevelCounts => ({ first: 0, second: 0, third: 0, excellence: 0, total: 0 });

function levelRows(awarded: readonly AwardedEntryFact[], key: (a: AwardedEntryFact) => string, label: (a: AwardedEntryFact) => string): LevelRow[] {
  const map = new Map<string, LevelRow>();
  for (const a of awarded) {
    const k = key(a);
    const row = map.get(k) ?? { key: k, label: label(a), ...emptyLevels() };
    row[a.level]++;
    row.total++;
    map.set(k, row);
  }
  return [...map.values()].sort((a, b) => b.total - a.total || b.first - a.first || a.label.localeCompare(b.label, 'zh-CN') || a.key.localeCompare(b.key));
}

/** Sheet totals in bins of 10 % of the rubric's maximum (the last bin includes the maximum). */
function distribution(rows: readonly TotalRow[], rubricMax: ReadonlyMap<number, number>): Figures['scoreDistribution'] {
  const byStage = new Map<string, number[]>();
  for (const r of rows) {
    const max = rubricMax.get(r.rubricId) ?? 1000;
    const bins = byStage.get(r.stage) ?? Array.from({ length: 10 }, () => 0);
    const bin = max > 0 ? Math.min(9, Math.max(0, Math.floor((r.total * 10) / max))) : 0;
    bins[bin] += r.sheets;
    byStage.set(r.stage, bins);
  }
  return [...byStage.entries()]
    .sort(([a], [b]) => (a === b ? 0 : a === 'material' ? -1 : b === 'material' ? 1 : a.localeCompare(b)))
    .map(([stage, bins]) => ({
      stage,
      label: STAGE_NAMES[stage] ?? stage,
      sheets: bins.reduce((s, x) => s + x, 0),
      bins: bins.map((count, i) => ({ from: i * 10, to: (i + 1) * 10, count })),
    }));
}

/** Every figure of a contest from its facts. */
export function figuresOf(f: StatisticsFacts): Figures {
  const taking = f.cube;
  const members = taking.reduce((s, r) => s + r.members, 0);
  const unitEnterprises = (id: number) => f.enterprisesPerUnit.get(id) ?? 0;
  const entriesByUnit: UnitCountRow[] = countBy(taking, (r) => String(r.unitId), (r) => r.unitName, (r) => r.entries).map((r) => ({ ...r, enterprises: unitEnterprises(Number(r.key)) }));

  const sum = (pred: (r: ReviewRow) => boolean) => f.review.filter(pred).reduce((s, r) => s + r.entries, 0);
  const passedFirstTime = sum((r) => r.passed && !r.returned);
  const returnedThenPassed = sum((r) => r.passed && r.returned);
  const rejected = sum((r) => r.rejected && !r.passed);
  const returnedPending = sum((r) => r.returned && !r.passed && !r.rejected);
  const reviewed = f.review.reduce((s, r) => s + r.entries, 0);
  const failed = countBy(f.failedKeys, (k) => k, (k) => f.checklistTitles.get(k) ?? k, () => 1);

  const byExpert = new Map<number, Figures['expertWorkload'][number]>();
  for (const w of f.workload) {
    const row = byExpert.get(w.expertId) ?? { expertId: w.expertId, expertName: w.expertName, sheets: 0, submitted: 0, materialSheets: 0, presentationSheets: 0, meanMinutesToSubmit: null, maxMinutesToSubmit: null };
    row.sheets += w.sheets;
    row.submitted += w.submitted;
    if (w.stage === 'material') row.materialSheets += w.sheets;
    if (w.stage === 'presentation') row.presentationSheets += w.sheets;
    byExpert.set(w.expertId, row);
  }
  for (const m of f.minutes) {
    const row = byExpert.get(m.expertId);
    if (!row || m.timed <= 0) continue;
    row.meanMinutesToSubmit = ratio(Math.max(0, m.totalMinutes), m.timed, 1);
    row.maxMinutesToSubmit = m.maxMinutes;
  }

  const counts = emptyLevels();
  for (const a of f.awarded) {
    counts[a.level]++;
    counts.total++;
  }
  const declined = taking.filter((r) => r.status === 'declined').reduce((s, r) => s + r.entries, 0);
  const benefitYuan = taking.reduce((s, r) => s + r.benefitYuan, 0);
  const benefitByUnit = new Map<string, { key: string; label: string; entries: number; totalYuan: number; totalWanYuan: string }>();
  for (const r of taking) {
    if (r.declaring <= 0) continue;
    const k = String(r.unitId);
    const row = benefitByUnit.get(k) ?? { key: k, label: r.unitName, entries: 0, totalYuan: 0, totalWanYuan: '' };
    row.entries += r.declaring;
    row.totalYuan += r.benefitYuan;
    benefitByUnit.set(k, row);
  }

  return {
    participation: { entries: f.totals.entries, enterprises: f.totals.enterprises, units: f.totals.units, teamMembers: members, membersPerEntry: ratio(members, f.totals.entries, 1) },
    entriesByUnit,
    entriesByIndustry: countBy(taking, (r) => r.industry ?? '', (r) => r.industry ?? NO_INDUSTRY, (r) => r.entries),
    entriesByType: countBy(taking, (r) => r.entryType ?? '', (r) => (r.entryType ? ENTRY_TYPE_NAMES[r.entryType] ?? r.entryType : '未填写'), (r) => r.entries),
    entriesByTrack: countBy(taking, (r) => (r.trackId === null ? '' : String(r.trackId)), (r) => r.trackName ?? NO_TRACK, (r) => r.entries),
    review: { reviewed, passedFirstTime, returnedThenPassed, returnedPending, rejected, declined, passRate: percent(passedFirstTime + returnedThenPassed, reviewed), failedItems: failed },
    attendance: { present: f.attendance.get('present') ?? 0, absent: f.attendance.get('absent') ?? 0, pending: f.attendance.get('pending') ?? 0 },
    expertWorkload: [...byExpert.values()].sort((a, b) => b.sheets - a.sheets || a.expertId - b.expertId),
    scoreDistribution: distribution(f.totalsByStage, f.rubricMax),
    awards: {
      counts,
      byUnit: levelRows(f.awarded, (a) => a.unitName, (a) => a.unitName),
      byIndustry: levelRows(f.awarded, (a) => a.industry ?? '', (a) => a.industry ?? NO_INDUSTRY),
      byType: levelRows(f.awarded, (a) => a.entryType ?? '', (a) => (a.entryType ? ENTRY_TYPE_NAMES[a.entryType] ?? a.entryType : '未填写')),
    },
    objections: { filed: f.objections.filed, answered: f.objections.answered, open: f.objections.filed - f.objections.answered, upheld: f.objections.upheld },
    benefits: {
      declaringEntries: taking.reduce((s, r) => s + r.declaring, 0),
      totalYuan: benefitYuan,
      totalWanYuan: wanYuan(benefitYuan),
      byUnit: [...benefitByUnit.values()].map((r) => ({ ...r, totalWanYuan: wanYuan(r.totalYuan) })).sort((a, b) => b.totalYuan - a.totalYuan || a.label.localeCompare(b.label, 'zh-CN')),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The office's sentences

/**
 * The seed's sentence: "经材料初审、现场发表、专家评审，评选出质量攻关优秀成果一等奖14项，二等奖26项，
 * 三等奖32项，优秀奖45项，同时评选出5家优秀推荐单位". Levels with no award are left out (all four
 * stay when none was awarded); the units clause only when units were selected. No final 。.
 */
export function summarySentence(counts: Record<Level, number>, excellentUnits: number): string {
  const shown = REPORT_LEVELS.filter((l) => counts[l] > 0);
  const levels = (shown.length ? shown : REPORT_LEVELS).map((l) => `${REPORT_LEVEL_NAMES[l]}${counts[l]}项`).join('，');
  const units = excellentUnits > 0 ? `，同时评选出${excellentUnits}家优秀推荐单位` : '';
  return `经材料初审、现场发表、专家评审，评选出质量攻关优秀成果${levels}${units}`;
}

/** The year's summary paragraph: participation, the review, then the seed's sentence. */
export function summaryParagraph(contest: { name: string; year: number }, fig: Pick<Figures, 'participation' | 'review' | 'awards' | 'benefits'>, excellentUnits: number): string {
  const p = fig.participation;
  const parts = [
    `${contest.year}年，${contest.name}共有${p.units}家推荐单位推荐的${p.enterprises}家企业申报质量攻关成果${p.entries}项，参与小组成员${p.teamMembers}人次`,
  ];
  if (fig.review.reviewed > 0) parts.push(`材料初审通过${fig.review.passedFirstTime + fig.review.returnedThenPassed}项（其中退回修改后通过${fig.review.returnedThenPassed}项），不予通过${fig.review.rejected}项`);
  if (fig.benefits.declaringEntries > 0) parts.push(`申报成果合计申报经济效益${fig.benefits.totalWanYuan}万元`);
  return `${parts.join('；')}。${summarySentence(fig.awards.counts, excellentUnits)}。`;
}

/** The title of the award notice (关于公布 2020 年度质量攻关优秀成果评选结果的通知). */
export function noticeTitle(year: number): string {
  return `关于公布${year}年度质量攻关优秀成果评选结果的通知`;
}

// ---------------------------------------------------------------------------------------------
// Year on year

export interface Growth {
  /** This year minus last year. */
  delta: number;
  /** Rounded percentage with one decimal and a sign ("+12.5%"), or null when last year was 0. */
  percent: string | null;
}

/** Growth from `previous` to `current` (non-negative integers). */
export function growth(previous: number, current: number): Growth {
  const delta = current - previous;
  if (previous <= 0) return { delta, percent: null };
  const abs = Math.abs(delta);
  const tenths = Math.floor((abs * 1000 * 2 + previous) / (2 * previous));
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '';
  return { delta, percent: `${tenths === 0 ? '' : sign}${Math.floor(tenths / 10)}.${tenths % 10}%` };
}

export interface YearFacts {
  contestId: number;
  name: string;
  year: number;
  entries: number;
  enterprises: number;
  units: number;
  reviewed: number;
  passed: number;
  awards: LevelCounts;
  excellentUnits: number;
}

export interface YearRow extends YearFacts {
  passRate: string;
  growth: { entries: Growth; enterprises: Growth; awards: Growth } | null;
}

/** The years side by side, oldest first, each with its growth over the year before it. */
export function yearOnYear(years: readonly YearFacts[]): YearRow[] {
  const sorted = [...years].sort((a, b) => a.year - b.year || a.contestId - b.contestId);
  return sorted.map((y, i) => {
    const prev = i > 0 ? sorted[i - 1] : undefined;
    return {
      ...y,
      awards: { ...y.awards },
      passRate: percent(y.passed, y.reviewed),
      growth: prev ? { entries: growth(prev.entries, y.entries), enterprises: growth(prev.enterprises, y.enterprises), awards: growth(prev.awards.total, y.awards.total) } : null,
    };
  });
}
