// What the exports share: the order of the rows, the labels people read, and the file names.
// Plain functions over an AwardList (no Nest, no TypeORM).
import { LEVELS, type Level } from '../../contests/contest-rules.js';
import { LEVEL_NAMES_ZH, type AwardList, type AwardListEntry } from '../award-list.js';

export const STATUS_LABELS_ZH: Record<AwardList['status'], string> = { notice: '公示', published: '发布' };

/** How a list is labelled in titles and file names; the organizer's list before the notice is not yet 公示. */
export interface ExportOptions {
  /** Overrides the status label (e.g. '内部审核' for a computed list an organizer exports before the notice). */
  statusLabel?: string;
}

export function statusLabelOf(list: AwardList, opts: ExportOptions = {}): string {
  return opts.statusLabel ?? STATUS_LABELS_ZH[list.status];
}

/** The list carries scores when any awarded entry has one (the public list hides them unless the contest shows them). */
export function listHasScores(list: AwardList): boolean {
  return LEVELS.some((level) => list.levels[level].some((e) => e.score !== null));
}

/** Every awarded entry, by level (一等奖 first) and then by its 序号 within the level. */
export function awardedInOrder(list: AwardList): AwardListEntry[] {
  return LEVELS.flatMap((level) => [...list.levels[level]].sort((a, b) => a.seq - b.seq));
}

export function levelName(level: Level): string {
  return LEVEL_NAMES_ZH[level];
}

// Path separators, characters Windows refuses in names, and controls: never part of a file name.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_FILE_NAME = /[\\/:*?"<>|\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** A piece of a file name: unsafe characters become '_', at most `max` characters (code points). */
export function fileNamePart(text: string, max = 60): string {
  const cleaned = text.normalize('NFC').replace(UNSAFE_IN_FILE_NAME, '_').replace(/\s+/gu, ' ').trim();
  const chars = [...cleaned];
  return (chars.length > max ? chars.slice(0, max).join('') : cleaned) || '_';
}

/** e.g. `2020年滨海新区质量攻关活动-获奖名单（公示·第1版）.xlsx` */
export function awardListFileName(list: AwardList, ext: 'xlsx' | 'csv', opts: ExportOptions = {}): string {
  return `${fileNamePart(list.contest.name, 100)}-获奖名单（${statusLabelOf(list, opts)}·第${list.version}版）.${ext}`;
}
