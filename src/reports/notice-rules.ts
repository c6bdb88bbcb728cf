// What the award notice (关于公布 N 年度质量攻关优秀成果评选结果的通知) says, from the published
// award list alone (never from live data): pure, shared by the DOCX and the PDF.
import type { Level } from '../contests/contest-rules.js';
import type { AwardList } from '../results/award-list.js';
import { noticeTitle, REPORT_LEVEL_NAMES, REPORT_LEVELS, summarySentence } from './statistics-rules.js';

export const DEFAULT_ADDRESSEE = '各推荐单位、各有关企业';
export const TABLE_HEADERS = ['序号', '成果名称', '小组名称', '企业', '推荐单位'] as const;

export interface NoticeSettings {
  documentNumber: string;
  issuer: string | null;
  addressee: string | null;
}

export interface NoticeLevel {
  level: Level;
  /** e.g. 一等奖（14项） */
  heading: string;
  rows: [string, string, string, string, string][];
}

export interface NoticeContent {
  title: string;
  documentNumber: string;
  /** 主送 line, ending with ：. */
  addressee: string;
  paragraphs: string[];
  /** 附件 line. */
  attachment: string;
  annexTitle: string;
  levels: NoticeLevel[];
  excellentUnitsHeading: string;
  excellentUnits: string[];
  issuer: string;
  dateText: string;
  /** For the file's metadata. */
  contestName: string;
  issuedOn: Date;
}

/** A date as the notice prints it, in China time (UTC+8 all year): 2020年9月29日. */
export function noticeDate(at: Date): string {
  const d = new Date(at.getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** The notice of a published list. `fallbackDate` only for a list without a publication time. */
export function noticeContent(list: AwardList, settings: NoticeSettings, fallbackDate: Date): NoticeContent {
  const year = list.contest.year;
  const counts = Object.fromEntries(REPORT_LEVELS.map((l) => [l, list.levels[l].length])) as Record<Level, number>;
  const issuedOn = list.publishedAt ? new Date(list.publishedAt) : fallbackDate;
  const annexTitle = `${year}年度质量攻关优秀成果名单`;
  return {
    title: noticeTitle(year),
    documentNumber: settings.documentNumber,
    addressee: `${(settings.addressee ?? DEFAULT_ADDRESSEE).replace(/[:：]\s*$/u, '')}：`,
    paragraphs: [
      `为推广先进质量管理方法，激发广大职工参与质量改进的积极性，促进企业质量管理水平提升，${list.contest.name}已按计划组织完成。${summarySentence(counts, list.excellentUnits.length)}。经公示，现将评选结果予以公布。`,
      '希望受到表彰的单位和小组珍惜荣誉，再接再厉，持续深入开展质量攻关活动；各推荐单位和企业要以先进为榜样，广泛运用科学的质量管理方法，为推动高质量发展作出新的贡献。',
    ],
    attachment: `附件：${annexTitle}`,
    annexTitle,
    levels: REPORT_LEVELS.filter((l) => list.levels[l].length > 0).map((l) => ({
      level: l,
      heading: `${REPORT_LEVEL_NAMES[l]}（${list.levels[l].length}项）`,
      rows: list.levels[l].map((e) => [String(e.seq), e.title, e.teamName, e.enterpriseName, e.unitName]),
    })),
    excellentUnitsHeading: `优秀推荐单位（${list.excellentUnits.length}家）`,
    excellentUnits: [...list.excellentUnits].sort((a, b) => a.place - b.place).map((u) => u.unitName),
    issuer: settings.issuer ?? `${list.contest.name}组委会`,
    dateText: noticeDate(issuedOn),
    contestName: list.contest.name,
    issuedOn,
  };
}
