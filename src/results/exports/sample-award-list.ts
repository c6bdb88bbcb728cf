// A small but awkward award list for the exports' unit tests: Chinese and emoji names, commas and
// quotes in titles, a formula-looking title, a level with no entries, a long title.
import type { Level } from '../../contests/contest-rules.js';
import type { AwardList, AwardListEntry } from '../award-list.js';

export function sampleAwardList(opts: { withScores?: boolean; status?: AwardList['status'] } = {}): AwardList {
  const withScores = opts.withScores ?? false;
  let id = 100;
  const entry = (level: Level, seq: number, title: string, enterpriseName: string, teamName: string, unitName: string, score: string): AwardListEntry => ({
    seq,
    entryId: ++id,
    title,
    enterpriseName,
    teamName,
    unitName,
    trackName: '制造类',
    level,
    score: withScores ? score : null,
  });
  return {
    contest: { id: 7, name: '2020年滨海新区质量攻关活动', year: 2020, theme: '建设质量强国 决胜全面小康' },
    status: opts.status ?? 'published',
    version: 2,
    hash: 'a'.repeat(64),
    listHash: 'b'.repeat(64),
    noticeEndsAt: '2020-12-20T10:00:00.000Z',
    // 2020-12-25 01:30 in China
    publishedAt: '2020-12-24T17:30:00.000Z',
    levels: {
      first: [
        entry('first', 1, '降低🚀焊接缺陷率', '天津滨海🏭精密制造有限公司', '攻坚QC小组🏆', '滨海新区经济技术开发区市场监管局', '95.50'),
        entry('first', 2, '提高"一次交验"合格率, 缩短周期', '天津港, 集团有限公司', '"匠心"小组', '滨海新区质量协会', '93.25'),
      ],
      second: [entry('second', 1, '=SUM(A1:A9) 降低能耗', '天津中新生态城建设有限公司', '-绿色小组', '中新天津生态城市场监管局', '88.00')],
      third: [
        entry(
          'third',
          1,
          '基于多源数据融合与精益管理方法的大型石化装置检修周期缩短及关键设备可靠性提升的研究与实践（第二阶段）',
          '中国石油天然气股份有限公司大港石化分公司',
          '设备管理QC小组',
          '滨海新区质量协会',
          '80.75',
        ),
      ],
      excellence: [],
    },
    excellentUnits: [
      { place: 1, unitId: 11, unitName: '滨海新区质量协会', points: 13, awardedEntries: 2 },
      { place: 2, unitId: 12, unitName: '滨海新区经济技术开发区市场监管局🌊', points: 10, awardedEntries: 1 },
    ],
  };
}
